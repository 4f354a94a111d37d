import RundleJSON

/// `process.capabilities`: five lists of names such as "CAP_CHOWN". An empty set is written as
/// absent (runc and crun treat both as empty).
public struct OCICapabilities: Sendable, Hashable {
    public var bounding: [String]
    public var effective: [String]
    public var inheritable: [String]
    public var permitted: [String]
    public var ambient: [String]

    public init(bounding: [String] = [], effective: [String] = [], inheritable: [String] = [],
                permitted: [String] = [], ambient: [String] = []) {
        self.bounding = bounding
        self.effective = effective
        self.inheritable = inheritable
        self.permitted = permitted
        self.ambient = ambient
    }

    /// `nil` unless `json` is an object whose present sets are lists of strings.
    public init?(json: JSON) {
        guard json.objectValue != nil else { return nil }
        func set(_ key: String) -> [String]?? {
            guard let value = json[key] else { return .some(nil) }
            guard let strings = value.stringArrayValue else { return nil }
            return .some(strings)
        }
        guard let bounding = set("bounding"), let effective = set("effective"),
              let inheritable = set("inheritable"), let permitted = set("permitted"),
              let ambient = set("ambient")
        else { return nil }
        self.init(bounding: bounding ?? [], effective: effective ?? [], inheritable: inheritable ?? [],
                  permitted: permitted ?? [], ambient: ambient ?? [])
    }

    /// `{"bounding", "effective", "inheritable", "permitted", "ambient"}`, empty sets left out.
    public var json: JSON {
        var object = JSONObject()
        for (key, list) in [("bounding", bounding), ("effective", effective), ("inheritable", inheritable),
                            ("permitted", permitted), ("ambient", ambient)] where !list.isEmpty {
            object[key] = JSON(list)
        }
        return .object(object)
    }
}
