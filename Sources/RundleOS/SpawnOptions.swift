/// What a child's stdin, stdout or stderr is.
public enum StdioSpec: Sendable, Hashable {
    /// /dev/null.
    case null
    /// The parent's own fd 0, 1 or 2, as it is.
    case inherit
    /// A parent fd, dup2'ed onto 0, 1 or 2 in the child (the parent keeps its copy open).
    case fd(Int32)
}

/// How to start a child process with `spawnProcess` or `runCommand`.
///
/// The child's fds are a numbered contract (dadoo's): 0–2 per `stdin`/`stdout`/`stderr`,
/// `extraFiles` as 3, 4, … in order, and nothing else — every higher fd is closed in the child,
/// whether or not the parent opened it O_CLOEXEC.
public struct SpawnOptions: Sendable {
    /// An absolute path (see `resolveExecutable` for a name on $PATH).
    public var executable: String
    /// argv[1...]; argv[0] is `executable`.
    public var arguments: [String]
    /// "KEY=value" entries; nil inherits the parent's environment.
    public var environment: [String]?
    public var stdin: StdioSpec = .null
    public var stdout: StdioSpec = .null
    public var stderr: StdioSpec = .null
    /// Parent fds that become the child's fds 3, 4, … in this order.
    public var extraFiles: [Int32] = []
    /// Start the child in a new session (POSIX_SPAWN_SETSID): no controlling terminal, its own
    /// process group, so it survives its starter's terminal going away.
    public var newSession = false
    /// The child's working directory; nil keeps the parent's.
    public var workingDirectory: String? = nil

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = nil
    }
}
