import RundleJSON

/// One entry of `linux.resources.devices`: a device cgroup rule. A missing `type`, `major` or
/// `minor` is a wildcard ("a", "*").
public struct OCIDeviceRule: Sendable, Hashable {
    public var allow: Bool
    /// "a" (all), "c" or "b"; `nil` means all.
    public var type: String?
    public var major: Int64?
    public var minor: Int64?
    /// Some of "r", "w", "m".
    public var access: String?

    public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
        self.allow = allow
        self.type = type
        self.major = major
        self.minor = minor
        self.access = access
    }

    public init?(json: JSON) {
        guard let allow = json["allow"]?.boolValue else { return nil }
        self.init(allow: allow, type: json["type"]?.stringValue, major: json["major"]?.int64Value,
                  minor: json["minor"]?.int64Value, access: json["access"]?.stringValue)
    }

    /// `{"allow", "type"?, "major"?, "minor"?, "access"?}`.
    public var json: JSON {
        var object = JSONObject()
        object["allow"] = JSON(allow)
        if let type { object["type"] = JSON(type) }
        if let major { object["major"] = JSON(major) }
        if let minor { object["minor"] = JSON(minor) }
        if let access { object["access"] = JSON(access) }
        return .object(object)
    }
}
