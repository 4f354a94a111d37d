/// The one error type of Rundle's core: a class of failure, a sentence, and what it was about.
public struct RundleError: Error, Sendable, CustomStringConvertible {
    /// An extensible class of failure; adding one breaks no caller's `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable machine-readable name, printed as `type` by `--json`.
        public let name: String
        private init(_ name: String) { self.name = name }

        public static let invalidArgument = Code("InvalidArgument")
        public static let notFound = Code("NotFound")
        public static let alreadyExists = Code("AlreadyExists")
        public static let invalidState = Code("InvalidState")
        public static let runtimeFailed = Code("RuntimeFailed")
        public static let timeout = Code("Timeout")
        public static let executableNotFound = Code("ExecutableNotFound")
        public static let notExecutable = Code("NotExecutable")
        public static let unavailable = Code("Unavailable")
        public static let `internal` = Code("Internal")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    public let handle: String?
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, handle: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.handle = handle
        self.cause = cause
    }

    public func isCode(_ other: Code) -> Bool { code == other }

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }
}
