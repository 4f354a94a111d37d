/// Why a JSON text could not be parsed, and where.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the input where parsing failed. For an error yajl detects inside the
    /// text this is `yajl_get_bytes_consumed`, i.e. just past the offending token; for text
    /// that ends too early (empty input, an unclosed `{`) it is the length of the input.
    public let offset: Int
    /// yajl's reason on one line, without its "parse error: " / "lexical error: " prefix,
    /// e.g. "invalid object key (must be a string)".
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// For example "malformed JSON at byte 17: invalid object key (must be a string)".
    public var description: String { "malformed JSON at byte \(offset): \(message)" }

    /// The same error with its offset moved by `delta` bytes (a line's start in a larger buffer).
    func shifted(by delta: Int) -> JSONError {
        JSONError(offset: offset + delta, message: message)
    }
}

extension JSONError {
    /// Turns the text from `yajl_get_error(h, 0, ...)`, e.g. "parse error: premature EOF\n",
    /// into a one-line reason: "premature EOF".
    static func cleanedMessage(fromYajl raw: String) -> String {
        var text = Substring(raw)
        for prefix in ["parse error: ", "lexical error: ", "unknown error: "] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            break
        }
        // One line: every run of whitespace (yajl ends with "\n") becomes one space.
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        var line = words.joined(separator: " ")
        if line.hasSuffix(".") { line.removeLast() }
        return line.isEmpty ? "unknown error" : line
    }
}
