import RundleJSON

/// `process.user`. Other members (`umask`, `username`) are kept in `extra`.
public struct OCIUser: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    /// `additionalGids`; `[]` is written as absent.
    public var additionalGids: [UInt32]
    public var extra: JSONObject

    public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = [], extra: JSONObject = JSONObject()) {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.extra = extra
    }

    /// `nil` unless `uid` and `gid` are UInt32 integers (and `additionalGids`, if present, too).
    public init?(json: JSON) {
        guard let object = json.objectValue,
              let uid = object["uid"]?.uint32Value, let gid = object["gid"]?.uint32Value
        else { return nil }
        var groups: [UInt32] = []
        if let list = object["additionalGids"] {
            guard let array = list.arrayValue else { return nil }
            for element in array {
                guard let gid = element.uint32Value else { return nil }
                groups.append(gid)
            }
        }
        self.init(uid: uid, gid: gid, additionalGids: groups,
                  extra: object.removingKeys(["uid", "gid", "additionalGids"]))
    }

    /// `{"uid", "gid", "additionalGids"?, …extra}`.
    public var json: JSON {
        var object = JSONObject()
        object["uid"] = JSON(UInt64(uid))
        object["gid"] = JSON(UInt64(gid))
        if !additionalGids.isEmpty { object["additionalGids"] = .array(additionalGids.map { JSON(UInt64($0)) }) }
        object.merge(extra)
        return .object(object)
    }
}
