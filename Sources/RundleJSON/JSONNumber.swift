/// A JSON number kept as its literal text, so 64-bit integers never pass through Double.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as it appeared in the source (or as generated for a new value).
    public let literal: String

    /// Wraps a literal that is already known to be valid JSON number syntax (the parser's output).
    public init(literal: String) { self.literal = literal }
    public init(_ value: Int64) { self.literal = String(value) }
    public init(_ value: UInt64) { self.literal = String(value) }
    public init(_ value: Int) { self.literal = String(value) }
    public init(_ value: Double) {
        // JSON has no NaN or infinity; an integral double prints without a fraction.
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e15 {
            self.literal = String(Int64(value))
        } else if value.isFinite {
            self.literal = String(value)
        } else {
            self.literal = "0"
        }
    }

    public var int64: Int64? { Int64(literal) }
    public var uint64: UInt64? { UInt64(literal) }
    public var double: Double? { Double(literal) }
    public var description: String { literal }
}
