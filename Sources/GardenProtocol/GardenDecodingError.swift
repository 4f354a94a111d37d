import RundleJSON

/// Why a Garden body could not be decoded; `message` reads like Go's encoding/json error so a
/// Go client that prints it (or a test that compares it) sees familiar text.
public struct GardenDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line, e.g. `json: cannot unmarshal string into field ContainerSpec.privileged of type bool`.
    public let message: String

    /// An error with the given text.
    public init(_ message: String) { self.message = message }

    /// The message itself, so the error can be put into a Garden error body unchanged.
    public var description: String { message }
}

extension GardenDecodingError {
    /// A value of the wrong JSON type where `path` expects `goType`.
    static func mismatch(_ value: JSON, at path: FieldPath, goType: String) -> GardenDecodingError {
        GardenDecodingError("json: cannot unmarshal \(value.goKindName) into \(path.target) of type \(goType)")
    }

    /// A number that does not fit `goType` (negative, fractional or too big), named with its literal as Go does.
    static func badNumber(_ literal: String, at path: FieldPath, goType: String) -> GardenDecodingError {
        GardenDecodingError("json: cannot unmarshal number \(literal) into \(path.target) of type \(goType)")
    }

    /// Text that is not JSON, with the parser's offset and reason.
    static func malformed(_ error: JSONError) -> GardenDecodingError {
        GardenDecodingError(error.description)
    }
}

/// Where a value sits inside the body being decoded, for error messages: the Go type name of
/// the body plus the JSON keys on the way (array indices are left out, as Go does).
struct FieldPath: Sendable {
    let root: String
    let keys: [String]

    init(_ root: String, _ keys: [String] = []) {
        self.root = root
        self.keys = keys
    }

    /// The path one key further down.
    func appending(_ key: String) -> FieldPath { FieldPath(root, keys + [key]) }

    /// "field ContainerSpec.limits.cpu_limits.weight", or "value of type"-style target for the root.
    var target: String {
        keys.isEmpty ? "value" : "field " + ([root] + keys).joined(separator: ".")
    }
}

extension JSON {
    /// The word Go's decoder uses for this kind of JSON value in "cannot unmarshal X" messages.
    var goKindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
