import RundleOS

/// A failure of the OCI runtime binary, carrying the runtime's own message.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, so callers need not parse messages.
    public enum Kind: Sendable, Hashable {
        /// The runtime ran and said no (non-zero exit); `message` is its last error line.
        case failed
        /// The runtime did not finish before its deadline and was killed.
        case timedOut
        /// The runtime says the container does not exist.
        case containerNotFound
        /// The process to exec does not exist in the container (exit 127 material).
        case executableNotFound
        /// The process to exec exists but cannot be executed (exit 126 material).
        case notExecutable
        /// The runtime binary could not be started at all.
        case launchFailed
    }

    public let kind: Kind
    /// The runtime verb, e.g. "run", "exec", "delete".
    public let verb: String
    /// The runtime's own words (its last error-level log line), or ours when it said nothing.
    public let message: String
    public let status: ExitStatus?
    /// The runtime binary as named ("runc", "crun"), for messages.
    public let runtimeName: String

    public init(kind: Kind, verb: String, message: String, status: ExitStatus? = nil, runtimeName: String = "runtime") {
        self.kind = kind
        self.verb = verb
        self.message = message
        self.status = status
        self.runtimeName = runtimeName
    }

    public var description: String { "\(verb): \(message)" }
}
