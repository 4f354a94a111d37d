import RundleJSON

/// A Garden JSON body: decoded the way Go's encoding/json would, encoded the way it writes.
public protocol GardenBody: Sendable, Equatable {
    /// Decodes a parsed value (keys case-insensitive, unknown keys ignored, `null` = absent).
    init(json: JSON) throws(GardenDecodingError)
    /// The wire form, with Go's key names and `omitempty` rules.
    func json() -> JSON
}

extension GardenBody {
    /// Decodes the first JSON value of a body (Go's decoder ignores what follows it).
    public init(bytes: [UInt8]) throws(GardenDecodingError) {
        try self.init(json: GardenJSON.firstValue(bytes))
    }

    /// The body as Go's json.Encoder writes it: compact JSON and a newline.
    public func line() -> [UInt8] {
        var bytes = json().serializedBytes()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
