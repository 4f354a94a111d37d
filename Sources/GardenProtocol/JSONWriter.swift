import RundleJSON

/// Builds a JSON object in Go's field order with Go's `omitempty` rules, so the wire form
/// matches what encoding/json writes for the same struct.
struct JSONWriter {
    private(set) var object = JSONObject()

    /// The finished object.
    var json: JSON { .object(object) }

    /// Always written (a field without omitempty, or a struct-valued field).
    mutating func always(_ key: String, _ value: JSON) { object[key] = value }

    /// `omitempty` string: left out when empty.
    mutating func omitEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { object[key] = .string(value) }
    }

    /// `omitempty` number: left out when zero.
    mutating func omitEmpty(_ key: String, _ value: UInt64) {
        if value != 0 { object[key] = JSON(value) }
    }

    /// `omitempty` bool: left out when false.
    mutating func omitEmpty(_ key: String, _ value: Bool) {
        if value { object[key] = .bool(true) }
    }

    /// `omitempty` slice or map: left out when empty.
    mutating func omitEmpty(_ key: String, _ value: [JSON]) {
        if !value.isEmpty { object[key] = .array(value) }
    }

    /// A pointer field with `omitempty`: written (even when zero) exactly when present.
    mutating func ifPresent(_ key: String, _ value: JSON?) {
        if let value { object[key] = value }
    }
}

extension JSON {
    /// A Go `map[string]string`: encoding/json writes map keys sorted by their bytes.
    static func goStringMap(_ map: [String: String]) -> JSON {
        var object = JSONObject()
        for key in map.keys.sorted(by: goLess) { object[key] = .string(map[key] ?? "") }
        return .object(object)
    }
}

/// Go's string order (bytewise), used wherever Go sorts: map keys, url.Values.Encode.
func goLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
