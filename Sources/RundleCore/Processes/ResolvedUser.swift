/// A user as a process will run: ids, supplementary groups, name and home directory.
public struct ResolvedUser: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var additionalGids: [UInt32]
    public var name: String?
    public var home: String

    public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = [], name: String? = nil, home: String = "/") {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.name = name
        self.home = home
    }
}
