import RundleJSON

/// One entry of `linux.namespaces`: a new namespace of `type`, or, with `path`, joining an
/// existing one (a pea sharing its container's network, say).
public struct OCINamespace: Sendable, Hashable {
    /// "pid", "network", "mount", "ipc", "uts", "user" or "cgroup".
    public var type: String
    public var path: String?

    public init(type: String, path: String? = nil) {
        self.type = type
        self.path = path
    }

    public init?(json: JSON) {
        guard let type = json["type"]?.stringValue else { return nil }
        if let path = json["path"], path.stringValue == nil { return nil }
        self.init(type: type, path: json["path"]?.stringValue)
    }

    /// `{"type"}` or `{"type", "path"}`.
    public var json: JSON {
        var object = JSONObject()
        object["type"] = JSON(type)
        if let path { object["path"] = JSON(path) }
        return .object(object)
    }
}
