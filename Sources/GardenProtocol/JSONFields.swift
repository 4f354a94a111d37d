import RundleJSON

/// Typed, Go-compatible access to the members of one JSON object being decoded.
///
/// Keys match case-insensitively (ASCII, which covers every Garden key) as Go's decoder does;
/// when several members match, the last one in the text wins, as in Go. `null` counts as absent.
/// A member of the wrong type throws, naming the field by its path.
struct JSONFields {
    let path: FieldPath
    private let members: [(key: String, value: JSON)]

    /// Fields of `json`; `null` gives no fields (Go leaves the value zero), any non-object throws.
    init(_ json: JSON, at path: FieldPath, goType: String) throws(GardenDecodingError) {
        self.path = path
        switch json {
        case .object(let object):
            members = object.map { ($0.key, $0.value) }
        case .null:
            members = []
        default:
            throw .mismatch(json, at: path, goType: goType)
        }
    }

    /// The decoded value of `key`, or nil when it is absent or null. Every matching member is
    /// decoded (so a wrong type anywhere throws) and the last one is kept.
    func decode<T>(
        _ key: String, _ transform: (JSON, FieldPath) throws(GardenDecodingError) -> T
    ) throws(GardenDecodingError) -> T? {
        var result: T?
        for member in members where member.value != .null && JSONFields.keysMatch(member.key, key) {
            result = try transform(member.value, path.appending(key))
        }
        return result
    }

    func string(_ key: String) throws(GardenDecodingError) -> String? {
        try decode(key) { (value, path) throws(GardenDecodingError) in try GoValue.string(value, at: path) }
    }

    func bool(_ key: String) throws(GardenDecodingError) -> Bool? {
        try decode(key) { (value, path) throws(GardenDecodingError) in
            guard case .bool(let flag) = value else { throw .mismatch(value, at: path, goType: "bool") }
            return flag
        }
    }

    /// An unsigned integer no larger than `max`, named `goType` in errors.
    func unsigned(_ key: String, max: UInt64 = .max, goType: String = "uint64") throws(GardenDecodingError) -> UInt64? {
        try decode(key) { (value, path) throws(GardenDecodingError) in
            try GoValue.unsigned(value, at: path, max: max, goType: goType)
        }
    }

    /// A signed integer (Go `int`, 64-bit).
    func int(_ key: String, goType: String = "int") throws(GardenDecodingError) -> Int? {
        try decode(key) { (value, path) throws(GardenDecodingError) in try GoValue.int(value, at: path, goType: goType) }
    }

    func stringArray(_ key: String) throws(GardenDecodingError) -> [String]? {
        try decode(key) { (value, path) throws(GardenDecodingError) in
            try GoValue.array(value, at: path, goType: "[]string") { (element, path) throws(GardenDecodingError) in
                element == .null ? "" : try GoValue.string(element, at: path)
            }
        }
    }

    func stringMap(_ key: String, goType: String = "map[string]string") throws(GardenDecodingError) -> [String: String]? {
        try decode(key) { (value, path) throws(GardenDecodingError) in try GoValue.stringMap(value, at: path, goType: goType) }
    }

    /// The member as sent, for parts Rundle passes through without modelling (netout rules, stats).
    func raw(_ key: String) -> JSON? {
        var result: JSON?
        for member in members where member.value != .null && JSONFields.keysMatch(member.key, key) {
            result = member.value
        }
        return result
    }

    /// ASCII case-insensitive equality, without allocating.
    static func keysMatch(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?):
                if x != y && lowered(x) != lowered(y) { return false }
            default:
                return false
            }
        }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

/// Conversions of single JSON values to Go-typed Swift values, with Go's rules and error texts.
enum GoValue {
    static func string(_ value: JSON, at path: FieldPath) throws(GardenDecodingError) -> String {
        guard case .string(let text) = value else { throw .mismatch(value, at: path, goType: "string") }
        return text
    }

    /// Go's strconv.ParseUint on the literal: only plain integer literals, no sign, no fraction, no exponent.
    static func unsigned(_ value: JSON, at path: FieldPath, max: UInt64, goType: String) throws(GardenDecodingError) -> UInt64 {
        guard case .number(let number) = value else { throw .mismatch(value, at: path, goType: goType) }
        guard let parsed = UInt64(number.literal), parsed <= max, number.literal.first != "+" else {
            throw .badNumber(number.literal, at: path, goType: goType)
        }
        return parsed
    }

    static func int(_ value: JSON, at path: FieldPath, goType: String) throws(GardenDecodingError) -> Int {
        guard case .number(let number) = value else { throw .mismatch(value, at: path, goType: goType) }
        guard let parsed = Int(number.literal), number.literal.first != "+" else {
            throw .badNumber(number.literal, at: path, goType: goType)
        }
        return parsed
    }

    /// A JSON array decoded element by element; `null` elements become the element's zero value
    /// in Go, which `element` receives as `.null`.
    static func array<T>(
        _ value: JSON, at path: FieldPath, goType: String,
        _ element: (JSON, FieldPath) throws(GardenDecodingError) -> T
    ) throws(GardenDecodingError) -> [T] {
        guard case .array(let elements) = value else { throw .mismatch(value, at: path, goType: goType) }
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for item in elements { out.append(try element(item, path)) }
        return out
    }

    /// A JSON object of strings (Go `map[string]string`; a null value is Go's zero string).
    static func stringMap(_ value: JSON, at path: FieldPath, goType: String) throws(GardenDecodingError) -> [String: String] {
        guard case .object(let object) = value else { throw .mismatch(value, at: path, goType: goType) }
        var out: [String: String] = [:]
        for (key, member) in object {
            switch member {
            case .string(let text): out[key] = text
            case .null: out[key] = ""
            default: throw .mismatch(member, at: path, goType: "string")
            }
        }
        return out
    }
}
