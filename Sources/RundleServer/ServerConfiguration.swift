import Logging
import RundleCore

/// Everything `rundle serve` is told: where to listen and the defaults Garden leaves to the server.
public struct ServerConfiguration: Sendable {
    /// The listeners; unix sockets get mode 0600 (0660 with `socketGroup`).
    public var listen: [ListenAddress] = [.unix(path: ServerConfiguration.defaultSocketPath)]
    /// A group allowed to use the unix sockets (name or gid).
    public var socketGroup: String?
    /// The rootfs of a container created without `rootfs`/`image.uri`.
    public var defaultRootfs: String?
    /// The grace time of a container created with `grace_time` 0; 0 = never reaped.
    public var defaultGraceTimeNanos: UInt64 = 0
    /// The largest JSON request body.
    public var maxBodyBytes = 1 << 20
    /// The largest tar a stream-in may send (it is spooled to the depot's disk first).
    public var maxStreamInBytes: UInt64 = 8 << 30
    /// How many blocking operations (runtime calls, file work) run at once.
    public var workerThreads = 64
    /// Garden's Capacity `max_containers`.
    public var maxContainers: UInt64 = 1024

    public static let defaultSocketPath = "/run/rundle/garden.sock"

    public init() {}
}
