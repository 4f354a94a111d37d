/// Container handles are checked once, here, at the boundary: a handle names a depot directory
/// and a runtime container ID, so it must be a single safe path component that runc accepts.
public enum Handle {
    /// runc's own limit is the 255-byte file name; 128 leaves room for suffixes in the depot.
    public static let maxLength = 128

    /// Throws `invalidArgument` with a sentence saying what is wrong with `handle`.
    public static func validate(_ handle: String) throws(RundleError) {
        func reject(_ why: String) -> RundleError {
            RundleError(.invalidArgument, "invalid handle '\(printable(handle))': \(why)", handle: handle)
        }
        if handle.isEmpty { throw RundleError(.invalidArgument, "invalid handle: it is empty") }
        if handle.utf8.count > maxLength { throw reject("longer than \(maxLength) characters") }
        if handle.contains("/") { throw reject("contains '/'") }
        if handle.contains("..") { throw reject("contains '..'") }
        if handle.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw reject("contains a control character")
        }
        // Dot-names are the depot's own (.locks); runc would also refuse "." itself.
        if handle.hasPrefix(".") { throw reject("starts with '.'") }
        // runc's ID rule: ^[\w+\-.]+$
        for scalar in handle.unicodeScalars where !isAllowed(scalar) {
            throw reject("contains '\(scalar)' (allowed: letters, digits, '_', '-', '.', '+')")
        }
    }

    /// A new random handle shaped like Garden's (a UUID v4).
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        let chars = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "+": return true
        default: return false
        }
    }

    /// The handle with control characters escaped, safe to put in a one-line message.
    static func printable(_ handle: String) -> String {
        var out = ""
        for scalar in handle.unicodeScalars.prefix(140) {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
