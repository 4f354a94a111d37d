/// A pure-Swift writer producing exactly the text `JSONGenerator` gets from yajl_gen
/// (same escapes, same indentation). Used only for values nested deeper than yajl_gen's
/// fixed limit of 127 containers, so that serializing never fails.
enum JSONTextWriter {
    static func write(_ value: JSON, pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, depth: 0, pretty: pretty, into: &out)
        return out
    }

    private static func write(_ value: JSON, depth: Int, pretty: Bool, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number):
            out.append(contentsOf: number.generatedLiteral.utf8)
        case .string(let string):
            writeString(string, into: &out)
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                separate(first: index == 0, depth: depth + 1, pretty: pretty, into: &out)
                write(element, depth: depth + 1, pretty: pretty, into: &out)
            }
            close(UInt8(ascii: "]"), depth: depth, pretty: pretty, into: &out)
        case .object(let object):
            if object.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.enumerated() {
                separate(first: index == 0, depth: depth + 1, pretty: pretty, into: &out)
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(object[key] ?? .null, depth: depth + 1, pretty: pretty, into: &out)
            }
            close(UInt8(ascii: "}"), depth: depth, pretty: pretty, into: &out)
        }
    }

    /// Before a container's member: "," between members; when pretty, a newline and indent.
    private static func separate(first: Bool, depth: Int, pretty: Bool, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        if pretty {
            out.append(UInt8(ascii: "\n"))
            indent(depth, into: &out)
        }
    }

    private static func close(_ bracket: UInt8, depth: Int, pretty: Bool, into out: inout [UInt8]) {
        if pretty {
            out.append(UInt8(ascii: "\n"))
            indent(depth, into: &out)
        }
        out.append(bracket)
    }

    private static func indent(_ depth: Int, into out: inout [UInt8]) {
        for _ in 0..<depth { out.append(contentsOf: [0x20, 0x20]) }
    }

    /// yajl_string_encode: `\" \\ \b \f \n \r \t`, other bytes below 0x20 as `\u00XX`
    /// (upper-case hex), everything else (including '/', DEL and non-ASCII) as is.
    private static func writeString(_ string: String, into out: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, byte])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, byte])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
