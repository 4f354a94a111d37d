import RundleJSON

/// Finds where one JSON value ends in a byte stream without parsing it, so concatenated values
/// (Go's json.Encoder output) can be cut apart and each handed to `JSON.parse`. It keeps its
/// state between calls, so bytes arriving one at a time are each looked at once.
///
/// Only the boundary is found here; whether the text in between is valid JSON is left to the
/// parser (a stray `]` closing a `{` still ends the value, and then fails to parse).
struct JSONValueScanner: Sendable {
    enum Step: Equatable {
        /// The value has not ended yet (or only whitespace was seen).
        case needMore
        /// A value occupies `range` of the buffer; scanning resumes after it.
        case value(Range<Int>)
        /// A byte that cannot start a JSON value.
        case invalid(String)
    }

    private enum Kind { case container, string, scalar }

    /// Where the next byte to look at is.
    private(set) var position = 0
    /// Where the current value starts, once its first byte has been seen.
    private(set) var valueStart: Int?
    private var kind = Kind.container
    private var depth = 0
    private var inString = false
    private var escaped = false

    /// Scans `bytes` from `position`. With `atEnd`, the end of `bytes` also ends a number or
    /// literal (`12` could otherwise continue in the next read).
    mutating func next(in bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool) -> Step {
        while position < bytes.count {
            let byte = bytes[position]
            guard let start = valueStart else {
                if JSONValueScanner.isWhitespace(byte) {
                    position += 1
                    continue
                }
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    kind = .container
                    depth = 1
                case UInt8(ascii: "\""):
                    kind = .string
                    inString = true
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    kind = .scalar
                default:
                    return .invalid("invalid character \(JSONValueScanner.describe(byte)) looking for beginning of value")
                }
                valueStart = position
                position += 1
                continue
            }
            switch kind {
            case .scalar:
                if !JSONValueScanner.isScalarByte(byte) { return finish(start) }
            case .string, .container:
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if kind == .string {
                            position += 1
                            return finish(start)
                        }
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return finish(start)
                    }
                }
            }
            position += 1
        }
        if atEnd, kind == .scalar, let start = valueStart { return finish(start) }
        return .needMore
    }

    /// Moves every index back by `count` after the caller dropped that many bytes from the front.
    mutating func shift(by count: Int) {
        position -= count
        if let start = valueStart { valueStart = start - count }
    }

    private mutating func finish(_ start: Int) -> Step {
        valueStart = nil
        depth = 0
        inString = false
        escaped = false
        return .value(start..<position)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Bytes that can continue a number or a literal (`true`, `1.5e-3`); anything else ends it.
    private static func isScalarByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// `'x'` for printable ASCII, as Go quotes it; a hex escape otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: false)
        return "'\\x\(hex.count == 1 ? "0" + hex : hex)'"
    }
}

/// Decoding of request and response bodies the way Go's `json.NewDecoder(body).Decode(&v)` reads them.
enum GardenJSON {
    /// The first JSON value in `bytes`; anything after it is ignored, as Go's decoder does.
    /// An empty (or all-whitespace) body is "EOF" and a cut-off value "unexpected EOF", Go's words.
    static func firstValue(_ bytes: [UInt8]) throws(GardenDecodingError) -> JSON {
        var scanner = JSONValueScanner()
        let step = bytes.withUnsafeBufferPointer { scanner.next(in: $0, atEnd: true) }
        switch step {
        case .invalid(let message):
            throw GardenDecodingError(message)
        case .needMore:
            throw GardenDecodingError(scanner.valueStart == nil ? "EOF" : "unexpected EOF")
        case .value(let range):
            do {
                return try JSON.parse(Array(bytes[range]))
            } catch {
                throw .malformed(error.shifted(by: range.lowerBound))
            }
        }
    }
}

extension JSONError {
    /// The same error with its offset counted from an earlier start.
    func shifted(by delta: Int) -> JSONError { JSONError(offset: offset + delta, message: message) }
}
