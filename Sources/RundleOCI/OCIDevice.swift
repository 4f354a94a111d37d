import RundleJSON

/// One entry of `linux.devices`: a device node the runtime creates in the container.
public struct OCIDevice: Sendable, Hashable {
    /// Path inside the container, e.g. "/dev/fuse".
    public var path: String
    /// "c", "b", "u" or "p".
    public var type: String
    public var major: Int64
    public var minor: Int64
    public var fileMode: UInt32?
    public var uid: UInt32?
    public var gid: UInt32?

    public init(path: String, type: String, major: Int64, minor: Int64,
                fileMode: UInt32? = nil, uid: UInt32? = nil, gid: UInt32? = nil) {
        self.path = path
        self.type = type
        self.major = major
        self.minor = minor
        self.fileMode = fileMode
        self.uid = uid
        self.gid = gid
    }

    public init?(json: JSON) {
        guard let path = json["path"]?.stringValue, let type = json["type"]?.stringValue,
              let major = json["major"]?.int64Value, let minor = json["minor"]?.int64Value
        else { return nil }
        self.init(path: path, type: type, major: major, minor: minor,
                  fileMode: json["fileMode"]?.uint32Value, uid: json["uid"]?.uint32Value, gid: json["gid"]?.uint32Value)
    }

    /// `{"path", "type", "major", "minor", "fileMode"?, "uid"?, "gid"?}`.
    public var json: JSON {
        var object = JSONObject()
        object["path"] = JSON(path)
        object["type"] = JSON(type)
        object["major"] = JSON(major)
        object["minor"] = JSON(minor)
        if let fileMode { object["fileMode"] = JSON(UInt64(fileMode)) }
        if let uid { object["uid"] = JSON(UInt64(uid)) }
        if let gid { object["gid"] = JSON(UInt64(gid)) }
        return .object(object)
    }
}
