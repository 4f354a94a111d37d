import Testing
@testable import RundleJSON

/// The JSON text with every whitespace byte outside strings removed: what a compact writer
/// that keeps key order and literals must produce (escapes inside strings are left as they are).
func minified(_ text: String) -> String {
    var out: [UInt8] = []
    var inString = false
    var escaped = false
    for byte in text.utf8 {
        if inString {
            out.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
        } else if byte == UInt8(ascii: "\"") {
            inString = true
            out.append(byte)
        } else if ![0x20, 0x09, 0x0A, 0x0D].contains(byte) {
            out.append(byte)
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// The error `body` throws, or a recorded failure (and nil) when it does not throw.
func parseError(_ body: () throws(JSONError) -> JSON, sourceLocation: SourceLocation = #_sourceLocation) -> JSONError? {
    do {
        let value = try body()
        Issue.record("expected a JSONError, parsed \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// `depth` arrays nested in each other, the innermost holding `1`.
func nestedArrays(_ depth: Int) -> JSON {
    var value: JSON = 1
    for _ in 0..<depth { value = .array([value]) }
    return value
}
