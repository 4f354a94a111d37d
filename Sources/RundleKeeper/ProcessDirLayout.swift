/// The files of one process directory (`<depot>/<handle>/processes/<id>/`): the contract between
/// the starter (CLI or daemon), `rundle-keeper` and the attach client. Names are defined here
/// once.
///
/// | file | written by | content |
/// |---|---|---|
/// | `process.json` | starter | the OCI process spec (`terminal` set for `--tty`) |
/// | `attach.sock` | starter (bound, passed as fd 3) or keeper | the attach socket |
/// | `keeper.pid` | keeper, atomically, first | `"<pid> <starttime>\n"` (starttime: field 22 of /proc/<pid>/stat) |
/// | `pid` | the runtime (`--pid-file`) | the process's host pid |
/// | `stdout.log`, `stderr.log` | keeper | the output; file offset == stream offset (TTY: stdout.log only) |
/// | `log.start` | keeper, atomically | `"<stdoutStart> <stderrStart>\n"`: where each kept log begins; absent = `0 0` |
/// | `exit.json` | keeper, once, atomically, before any client is told | see `ExitRecord` |
public struct ProcessDirLayout: Sendable, Hashable {
    public static let processSpec = "process.json"
    public static let attachSocket = "attach.sock"
    public static let keeperPid = "keeper.pid"
    public static let pid = "pid"
    public static let stdoutLog = "stdout.log"
    public static let stderrLog = "stderr.log"
    public static let logStart = "log.start"
    public static let exitRecord = "exit.json"

    /// The process directory, without a trailing slash.
    public let directory: String

    public init(directory: String) {
        var trimmed = Substring(directory)
        while trimmed.count > 1, trimmed.last == "/" { trimmed.removeLast() }
        self.directory = String(trimmed)
    }

    public func path(_ name: String) -> String { "\(directory)/\(name)" }

    public var processSpecPath: String { path(Self.processSpec) }
    public var attachSocketPath: String { path(Self.attachSocket) }
    public var keeperPidPath: String { path(Self.keeperPid) }
    public var pidPath: String { path(Self.pid) }
    public var stdoutLogPath: String { path(Self.stdoutLog) }
    public var stderrLogPath: String { path(Self.stderrLog) }
    public var logStartPath: String { path(Self.logStart) }
    public var exitRecordPath: String { path(Self.exitRecord) }

    /// The log file of `stream`.
    public func logPath(_ stream: AttachStream) -> String {
        stream == .stdout ? stdoutLogPath : stderrLogPath
    }
}
