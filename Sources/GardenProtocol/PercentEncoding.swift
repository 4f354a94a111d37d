/// Go's net/url escaping and unescaping, byte for byte, for the modes Garden uses.
enum PercentEncoding {
    enum Mode {
        /// url.PathEscape: one path segment (`/`, `;`, `,`, `?` escaped; `+`, `:`, `@`, `&`, `=`, `$` kept).
        case pathSegment
        /// url.QueryEscape: everything but unreserved characters; space becomes `+`.
        case queryComponent
    }

    /// `text` escaped as Go's url package would, with uppercase hex.
    static func escape(_ text: String, _ mode: Mode) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte == UInt8(ascii: " "), mode == .queryComponent {
                out.append(UInt8(ascii: "+"))
            } else if shouldEscape(byte, mode) {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's unescape: `%XX` decoded (a malformed escape makes the whole text invalid, nil);
    /// with `plusIsSpace` (query rules) a `+` becomes a space.
    static func unescape<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) || (plusIsSpace && bytes.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2])
                else { return nil }
                out.append(high << 4 | low)
                i += 3
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                out.append(UInt8(ascii: " "))
                i += 1
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Go's shouldEscape for the two modes.
    private static func shouldEscape(_ byte: UInt8, _ mode: Mode) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
            UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch mode {
            case .pathSegment:
                return byte == UInt8(ascii: "/") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: ",")
                    || byte == UInt8(ascii: "?")
            case .queryComponent:
                return true
            }
        default:
            return true
        }
    }
}
