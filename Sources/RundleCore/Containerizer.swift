import Glibc
import Logging
import RundleOCI
import RundleOS
import RundleRuntime

/// The one façade over depot, bundle template, rootfs layers and runtime: every front door
/// (the CLI now, the Garden daemon later) goes through it and nothing else.
public struct Containerizer: Sendable {
    public let config: ContainerizerConfig
    public let depot: Depot
    let template: BundleTemplate
    let logger: Logger

    public init(config: ContainerizerConfig, logger: Logger = Logger(label: "rundle")) {
        self.config = config
        self.depot = Depot(root: config.depot)
        self.template = BundleTemplate.standard()
        self.logger = logger
    }

    /// The runtime a container was created with (its record says), so a later command with
    /// other global flags still manages it with the right binary and root.
    func runtime(for record: ContainerRecord) -> RuncRuntime {
        runtime(binary: record.runtime, root: record.runtimeRoot.isEmpty ? config.runtimeRoot(for: record.runtime) : record.runtimeRoot)
    }

    func runtime(binary: String, root: String) -> RuncRuntime {
        RuncRuntime(binary: binary, root: root, logDirectory: config.logDirectory, timeouts: config.timeouts)
    }

    /// The runtime named by this command's configuration.
    var configuredRuntime: RuncRuntime {
        runtime(binary: config.runtime, root: config.runtimeRoot(for: config.runtime))
    }

    /// Run-time directories the runtime needs before its first call.
    func prepareStateDirs(runtimeRoot: String) throws(RundleError) {
        do {
            if !isDirectory(config.logDirectory) { try makeDirectories(config.logDirectory, mode: 0o700) }
            if !isDirectory(runtimeRoot) { try makeDirectories(runtimeRoot, mode: 0o700) }
        } catch {
            throw RundleError(.unavailable, "cannot create Rundle's state directories", cause: error)
        }
    }

    /// Maps a runtime failure onto Rundle's error classes, keeping the runtime's own message.
    func wrap(_ error: RuntimeError, handle: String) -> RundleError {
        let code: RundleError.Code
        switch error.kind {
        case .timedOut: code = .timeout
        case .containerNotFound: code = .notFound
        case .executableNotFound: code = .executableNotFound
        case .notExecutable: code = .notExecutable
        case .launchFailed: code = .unavailable
        case .failed: code = .runtimeFailed
        }
        let message: String
        switch error.kind {
        case .executableNotFound, .notExecutable: message = "cannot run the command: \(error.message)"
        case .timedOut, .launchFailed: message = error.message
        default: message = "\(error.runtimeName) \(error.verb == "run" ? "create" : error.verb) failed: \(error.message)"
        }
        // The runtime's words are the message; the cause is kept for callers, not repeated.
        return RundleError(code, message, handle: handle)
    }

    /// Whether the init recorded for a container is still that same process.
    func initAlive(_ record: ContainerRecord) -> Bool {
        guard let pid = record.initPid, pid > 0 else { return false }
        guard let start = processStartTime(pid) else { return false }
        return record.initStartTime == nil || record.initStartTime == start
    }

    static func nowNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
