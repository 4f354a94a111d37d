import RundleJSON

/// One entry of `linux.uidMappings` / `linux.gidMappings`: container ids
/// `containerID ..< containerID + size` are host ids `hostID ..< hostID + size`.
public struct OCIIDMapping: Sendable, Hashable {
    public var containerID: UInt32
    public var hostID: UInt32
    public var size: UInt32

    public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
        self.containerID = containerID
        self.hostID = hostID
        self.size = size
    }

    /// `nil` unless all three members are integers in UInt32's range.
    public init?(json: JSON) {
        guard let containerID = json["containerID"]?.uint32Value,
              let hostID = json["hostID"]?.uint32Value,
              let size = json["size"]?.uint32Value
        else { return nil }
        self.init(containerID: containerID, hostID: hostID, size: size)
    }

    /// `{"containerID", "hostID", "size"}`.
    public var json: JSON {
        ["containerID": JSON(UInt64(containerID)), "hostID": JSON(UInt64(hostID)), "size": JSON(UInt64(size))]
    }

    /// Whether container id `id` falls inside this mapping.
    public func mapsContainerID(_ id: UInt32) -> Bool {
        id >= containerID && UInt64(id) < UInt64(containerID) + UInt64(size)
    }
}
