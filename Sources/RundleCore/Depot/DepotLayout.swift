/// The names inside `<depot>/<handle>/`, stated once (see docs/on-disk-format.md).
public struct DepotLayout: Sendable {
    public let containerDir: String

    public init(containerDir: String) { self.containerDir = containerDir }

    /// The generated OCI bundle.
    public var configJSON: String { containerDir + "/config.json" }
    /// The desired spec and the container's status; its `created` status is the commit point of a create.
    public var recordJSON: String { containerDir + "/container.json" }
    /// Written by the runtime: the init's host pid.
    public var initPidFile: String { containerDir + "/init.pid" }
    /// The overlay's merged dir, the container's root.path.
    public var rootfs: String { containerDir + "/rootfs" }
    public var upper: String { containerDir + "/upper" }
    public var work: String { containerDir + "/work" }
    /// The idmapped view of the base rootfs (unprivileged containers), the overlay's lower layer.
    public var lower: String { containerDir + "/lower" }
    public var processes: String { containerDir + "/processes" }
}
