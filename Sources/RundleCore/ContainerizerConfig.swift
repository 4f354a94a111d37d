import RundleRuntime

/// Where Rundle keeps things on this host and which runtime it drives.
public struct ContainerizerConfig: Sendable {
    public static let defaultDepot = "/var/lib/rundle/depot"
    public static let defaultStateDir = "/run/rundle"

    /// The depot: one directory per container, the source of truth.
    public var depot: String = defaultDepot
    /// The runtime binary (`runc`, `crun`, or a path).
    public var runtime: String = "runc"
    /// The runtime's `--root`; per runtime by default, because runc and crun keep different state.
    public var runtimeRoot: String?
    /// Host path of the static no-op init.
    public var initPath: String
    /// Host path of `rundle-keeper`, one of which runs beside every process.
    public var keeperPath: String
    /// Bytes of output kept per stream of a process while nobody reads (keeper's default: 64 MiB).
    public var outputLogLimit: UInt64?
    /// cgroup parent of every container (relative, so it nests under Rundle's own cgroup on v1).
    public var cgroupParent: String = "rundle"
    /// Unprivileged containers: container ids 0..<size map to host ids start..<start+size.
    public var idMapHostStart: UInt32 = 100_000
    public var idMapSize: UInt32 = 65_536
    public var timeouts = RuntimeTimeouts()

    public init(initPath: String, keeperPath: String) {
        self.initPath = initPath
        self.keeperPath = keeperPath
    }

    /// The effective runtime root for `runtime`.
    public func runtimeRoot(for runtime: String) -> String {
        if let runtimeRoot { return runtimeRoot }
        let name = runtime.split(separator: "/").last.map(String.init) ?? runtime
        return Self.defaultStateDir + "/" + name
    }

    /// Per-call runtime logs live here and are removed after each call.
    public var logDirectory: String { Self.defaultStateDir + "/logs" }
}
