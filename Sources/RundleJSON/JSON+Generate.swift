import CYajl

extension JSON {
    /// The JSON text of this value: compact by default; `pretty` puts one member per line,
    /// indented with 2 spaces. Neither form ends with a newline. '/' is not escaped; control
    /// characters (NUL included) are written as escapes, so this never fails.
    public func serialized(pretty: Bool = false) -> String {
        JSONGenerator.generate(self, pretty: pretty) { String(decoding: $0, as: UTF8.self) }
    }

    /// `serialized(pretty:)` as UTF-8 bytes.
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        JSONGenerator.generate(self, pretty: pretty) { Array($0) }
    }
}

/// Writes `JSON` values through yajl_gen.
enum JSONGenerator {
    /// Generates `value` and hands the text (without a trailing newline) to `body`.
    ///
    /// yajl_gen refuses nesting deeper than 127 containers; such a value is written by
    /// `JSONTextWriter` instead, which produces the same text.
    static func generate<R>(_ value: JSON, pretty: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let generator = yajl_gen_alloc(nil) {
            defer { yajl_gen_free(generator) }
            _ = rundle_yajl_gen_config_validate_utf8(generator, 1)
            _ = rundle_yajl_gen_config_escape_solidus(generator, 0)
            if pretty {
                _ = rundle_yajl_gen_config_beautify(generator, 1)
                _ = rundle_yajl_gen_config_indent_two_spaces(generator)
            }
            if emit(value, generator) {
                var buffer: UnsafePointer<UInt8>?
                var length = 0
                if yajl_gen_get_buf(generator, &buffer, &length) == yajl_gen_status_ok, let buffer {
                    // Beautified output ends the document with "\n"; compact output does not.
                    if pretty, length > 0, buffer[length - 1] == UInt8(ascii: "\n") { length -= 1 }
                    return body(UnsafeBufferPointer(start: buffer, count: length))
                }
            }
        }
        let bytes = JSONTextWriter.write(value, pretty: pretty)
        return bytes.withUnsafeBufferPointer { body($0) }
    }

    /// Emits `value`; false when yajl refused a call (only expected for too-deep nesting).
    private static func emit(_ value: JSON, _ g: yajl_gen) -> Bool {
        switch value {
        case .null:
            return yajl_gen_null(g) == yajl_gen_status_ok
        case .bool(let flag):
            return yajl_gen_bool(g, flag ? 1 : 0) == yajl_gen_status_ok
        case .number(let number):
            var literal = number.literal
            return literal.withUTF8 { text in
                if JSONNumber.isValidJSONNumber(text) {
                    return raw(text, g)
                }
                var fixed = number.generatedLiteral
                return fixed.withUTF8 { raw($0, g) }
            }
        case .string(let string):
            return emitString(string, g)
        case .array(let elements):
            if elements.isEmpty { return raw(emptyArray, g) }
            guard yajl_gen_array_open(g) == yajl_gen_status_ok else { return false }
            for element in elements {
                guard emit(element, g) else { return false }
            }
            return yajl_gen_array_close(g) == yajl_gen_status_ok
        case .object(let object):
            if object.isEmpty { return raw(emptyObject, g) }
            guard yajl_gen_map_open(g) == yajl_gen_status_ok else { return false }
            for key in object.keys {
                guard emitString(key, g), emit(object[key] ?? .null, g) else { return false }
            }
            return yajl_gen_map_close(g) == yajl_gen_status_ok
        }
    }

    private static func emitString(_ string: String, _ g: yajl_gen) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            // A Swift String is always valid UTF-8, so the generator's UTF-8 check cannot fail.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return emptyString.withUnsafeBufferPointer {
                    yajl_gen_string(g, $0.baseAddress, 0) == yajl_gen_status_ok
                }
            }
            return yajl_gen_string(g, base, utf8.count) == yajl_gen_status_ok
        }
    }

    /// Writes already-valid JSON text as one atom. `yajl_gen_number` copies its text verbatim
    /// with the separators and indentation of a scalar; that is how numbers keep their exact
    /// literal, and how an empty container is written as `[]`/`{}` (beautified yajl would put
    /// a blank line between the brackets).
    private static func raw(_ text: UnsafeBufferPointer<UInt8>, _ g: yajl_gen) -> Bool {
        text.withMemoryRebound(to: CChar.self) {
            yajl_gen_number(g, $0.baseAddress, $0.count) == yajl_gen_status_ok
        }
    }

    private static func raw(_ text: StaticString, _ g: yajl_gen) -> Bool {
        raw(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), g)
    }

    private static let emptyArray: StaticString = "[]"
    private static let emptyObject: StaticString = "{}"
    private static let emptyString: [UInt8] = [0]
}
