/// A failure of the client side: connecting, speaking HTTP, or following a process stream.
/// Errors the server reports (its JSON error bodies) are thrown as `GardenError` instead.
public struct GardenClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure it was; compare with the static members (`.timedOut`, …).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The address string could not be parsed.
        public static let invalidAddress = Code("invalidAddress")
        /// An argument could not be sent (e.g. a header value with a newline).
        public static let invalidArgument = Code("invalidArgument")
        /// Connecting to the server failed (refused, no such socket, name lookup failed).
        public static let connectFailed = Code("connectFailed")
        /// A deadline passed (connect, response head, or an idle body read).
        public static let timedOut = Code("timedOut")
        /// Reading or writing the connection failed, or it closed too early.
        public static let connectionFailed = Code("connectionFailed")
        /// The response was not valid HTTP, exceeded a limit, or was not the expected JSON.
        public static let badResponse = Code("badResponse")
        /// A process stream ended without an exit status, or the server reported a wait error.
        public static let processFailed = Code("processFailed")
        /// Attaching to a process's stdout/stderr stream failed.
        public static let streamAttachFailed = Code("streamAttachFailed")
        /// This client gave up the process (`GardenProcess.abandon()`).
        public static let abandoned = Code("abandoned")
        /// Reading a request body or stdin source failed.
        public static let sourceFailed = Code("sourceFailed")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
