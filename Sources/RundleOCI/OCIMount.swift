import RundleJSON

/// One entry of `mounts`.
///
/// Members this type does not model (runtime-spec 1.1's `uidMappings`, a vendor key) are kept in
/// `extra` and written back after the modelled ones.
public struct OCIMount: Sendable, Hashable {
    /// Absolute path inside the container.
    public var destination: String
    /// Filesystem type ("proc", "tmpfs", "bind", …); absent for some bind mounts.
    public var type: String?
    /// Device, host path for a bind mount, or a dummy name ("proc", "tmpfs").
    public var source: String?
    /// fstab-style options ("nosuid", "mode=755", "bind", "ro", …); `[]` is written as absent.
    public var options: [String]
    /// Members not modelled above, in their original order.
    public var extra: JSONObject

    public init(destination: String, type: String? = nil, source: String? = nil, options: [String] = [],
                extra: JSONObject = JSONObject()) {
        self.destination = destination
        self.type = type
        self.source = source
        self.options = options
        self.extra = extra
    }

    /// `nil` unless `json` is an object with a string `destination` (and, where present, a string
    /// `type`/`source` and a list of strings `options`).
    public init?(json: JSON) {
        guard let object = json.objectValue, let destination = object["destination"]?.stringValue else { return nil }
        let type = object["type"]
        let source = object["source"]
        let options = object["options"]
        if let type, type.stringValue == nil { return nil }
        if let source, source.stringValue == nil { return nil }
        if let options, options.stringArrayValue == nil { return nil }
        self.destination = destination
        self.type = type?.stringValue
        self.source = source?.stringValue
        self.options = options?.stringArrayValue ?? []
        self.extra = object.removingKeys(["destination", "type", "source", "options"])
    }

    /// `{"destination", "type", "source", "options", …extra}`.
    public var json: JSON {
        var object = JSONObject()
        object["destination"] = JSON(destination)
        if let type { object["type"] = JSON(type) }
        if let source { object["source"] = JSON(source) }
        if !options.isEmpty { object["options"] = JSON(options) }
        object.merge(extra)
        return .object(object)
    }
}
