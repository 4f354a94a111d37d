extension JSONNumber {
    /// Whether `literal` is a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// Always true for parsed numbers; a hand-made `JSONNumber(literal:)` may not be.
    public var isValidJSON: Bool {
        var literal = literal
        return literal.withUTF8 { JSONNumber.isValidJSONNumber($0) }
    }

    /// The text the generator writes: `literal` when it is valid JSON, otherwise the nearest
    /// thing that is (the value `Double` reads from it, or `0` as for NaN and infinity), so
    /// serializing never produces invalid JSON.
    var generatedLiteral: String {
        if isValidJSON { return literal }
        return JSONNumber(Double(literal) ?? .nan).literal
    }

    static func isValidJSONNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var i = 0
        let n = text.count
        @inline(__always) func digit(_ index: Int) -> Bool {
            index < n && text[index] >= zero && text[index] <= nine
        }
        if i < n, text[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if text[i] == zero {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }
}
