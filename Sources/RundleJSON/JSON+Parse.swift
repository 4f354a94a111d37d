import CYajl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSON {
    /// Parses one JSON text (leading/trailing whitespace allowed; anything else after the value is an error).
    ///
    /// Numbers keep their literal text (`JSONNumber(literal:)`), strings must be valid UTF-8,
    /// duplicate object keys keep the first key's position with the last value, and nesting
    /// deeper than 512 arrays/objects is refused.
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSON {
        try bytes.withUnsafeBufferPointer { JSONParser.parse($0) }.get()
    }

    /// Parses one JSON text given as a `String` (its UTF-8 bytes); see `parse(_:)` for bytes.
    public static func parse(_ text: String) throws(JSONError) -> JSON {
        var text = text
        return try text.withUTF8 { JSONParser.parse($0) }.get()
    }
}

/// Runs yajl's callback parser over one complete buffer.
enum JSONParser {
    /// Parses `input` as a single JSON text. Offsets in a failure are relative to `input`.
    static func parse(_ input: UnsafeBufferPointer<UInt8>) -> Result<JSON, JSONError> {
        let builder = UnsafeMutablePointer<JSONTreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: JSONTreeBuilder())
        defer {
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        // yajl keeps the callbacks pointer, so the handle must not outlive this closure.
        return withUnsafePointer(to: yajlTreeCallbacks) { callbacks in
            guard let handle = yajl_alloc(callbacks, nil, UnsafeMutableRawPointer(builder)) else {
                return .failure(JSONError(offset: 0, message: "out of memory"))
            }
            defer { yajl_free(handle) }
            _ = rundle_yajl_config_validate_strings(handle, 1)

            if let base = input.baseAddress, !input.isEmpty {
                if yajl_parse(handle, base, input.count) != yajl_status_ok {
                    let consumed = Int(yajl_get_bytes_consumed(handle))
                    return .failure(error(handle, builder.pointee.cancelReason, offset: consumed))
                }
            }
            // Flushes a number that ends the text and reports a text that ends too early;
            // yajl's byte count then refers to its own flush, so the offset is the input's end.
            if yajl_complete_parse(handle) != yajl_status_ok {
                return .failure(error(handle, builder.pointee.cancelReason, offset: input.count))
            }
            guard let root = builder.pointee.root else {
                return .failure(JSONError(offset: input.count, message: "premature EOF"))
            }
            return .success(root)
        }
    }

    private static func error(_ handle: yajl_handle, _ cancelReason: String?, offset: Int) -> JSONError {
        if let reason = cancelReason {
            return JSONError(offset: offset, message: reason)
        }
        guard let raw = yajl_get_error(handle, 0, nil, 0) else {
            return JSONError(offset: offset, message: "unknown error")
        }
        defer { yajl_free_error(handle, raw) }
        let text = String(cString: raw)
        return JSONError(offset: offset, message: JSONError.cleanedMessage(fromYajl: text))
    }
}

// MARK: - yajl callbacks

/// The builder behind yajl's context pointer.
@inline(__always)
private func treeBuilder(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<JSONTreeBuilder> {
    context.unsafelyUnwrapped.assumingMemoryBound(to: JSONTreeBuilder.self)
}

/// Unescaped UTF-8 bytes from yajl as a `String`, or nil when they are not valid UTF-8.
///
/// yajl's own check only looks at the shape of each sequence; it lets through overlong forms
/// (C0 AF), surrogates (ED A0 80, also what an escaped lone "\udc00" decodes to) and code
/// points beyond U+10FFFF. Those are refused here rather than silently replaced with U+FFFD.
@inline(__always)
private func makeString(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> String? {
    guard let bytes, count > 0 else { return "" }
    let buffer = UnsafeBufferPointer(start: bytes, count: count)
    // Decoding repairs invalid UTF-8 with U+FFFD, so the string differs from the bytes exactly
    // when they were invalid. (`String(validating:as:)` is generic and not specialized here:
    // it costs a metadata lookup per string.)
    let string = String(decoding: buffer, as: UTF8.self)
    guard string.utf8.count == count else { return nil }
    let same = string.utf8.withContiguousStorageIfAvailable {
        memcmp($0.baseAddress.unsafelyUnwrapped, bytes, count) == 0
    }
    return (same ?? string.utf8.elementsEqual(buffer)) ? string : nil
}

/// Number literals are ASCII digits and signs that yajl's lexer has checked.
@inline(__always)
private func makeLiteral(_ text: UnsafePointer<CChar>?, _ count: Int) -> String {
    guard let text, count > 0 else { return "0" }
    return text.withMemoryRebound(to: UInt8.self, capacity: count) {
        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
    }
}

/// `yajl_number` replaces `yajl_integer`/`yajl_double`: numbers arrive as their literal text,
/// so integers beyond 2^53 (and beyond Int64) stay exact.
private let yajlTreeCallbacks = yajl_callbacks(
    yajl_null: { context in
        treeBuilder(context).pointee.add(.null)
        return 1
    },
    yajl_boolean: { context, value in
        treeBuilder(context).pointee.add(.bool(value != 0))
        return 1
    },
    yajl_integer: nil,
    yajl_double: nil,
    yajl_number: { context, text, length in
        treeBuilder(context).pointee.add(.number(JSONNumber(literal: makeLiteral(text, length))))
        return 1
    },
    yajl_string: { context, bytes, length in
        guard let string = makeString(bytes, length) else {
            treeBuilder(context).pointee.refuseInvalidString()
            return 0
        }
        treeBuilder(context).pointee.add(.string(string))
        return 1
    },
    yajl_start_map: { context in
        treeBuilder(context).pointee.startObject() ? 1 : 0
    },
    yajl_map_key: { context, bytes, length in
        guard let key = makeString(bytes, length) else {
            treeBuilder(context).pointee.refuseInvalidString()
            return 0
        }
        treeBuilder(context).pointee.key(key)
        return 1
    },
    yajl_end_map: { context in
        treeBuilder(context).pointee.endObject()
        return 1
    },
    yajl_start_array: { context in
        treeBuilder(context).pointee.startArray() ? 1 : 0
    },
    yajl_end_array: { context in
        treeBuilder(context).pointee.endArray()
        return 1
    }
)
