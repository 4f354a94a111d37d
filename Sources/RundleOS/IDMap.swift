/// One line of a user namespace's uid_map or gid_map: `size` ids starting at `containerID`
/// inside map to ids starting at `hostID` outside.
public struct IDMap: Sendable, Hashable {
    public var containerID: UInt32
    public var hostID: UInt32
    public var size: UInt32

    public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
        self.containerID = containerID
        self.hostID = hostID
        self.size = size
    }

    /// The /proc/<pid>/uid_map form of a list of maps: "0 100000 65536\n" per entry.
    static func procFormat(_ maps: [IDMap]) -> String {
        maps.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
    }
}
