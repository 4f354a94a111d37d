/// A process to run in a container (Garden's ProcessSpec).
public struct ProcessRequest: Sendable {
    public var args: [String]
    /// Extra `K=V` entries; they override the container's own.
    public var env: [String] = []
    /// Working directory; the user's home (or "/") when nil.
    public var cwd: String?
    /// `NAME`, `UID`, `NAME:GROUP` or `UID:GID`; root when nil.
    public var user: String?
    public var tty = false
    /// The terminal's size for a TTY process (rows, columns), as the runtime's `consoleSize`.
    public var windowRows: UInt16?
    public var windowColumns: UInt16?
    /// Resource limits for this process only; each replaces the container's limit of that type.
    public var rlimits: [Rlimit] = []

    public init(args: [String]) { self.args = args }
}
