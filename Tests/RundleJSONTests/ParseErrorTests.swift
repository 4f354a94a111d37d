import Testing
@testable import RundleJSON

@Suite struct ParseErrorTests {
    /// Offsets are yajl_get_bytes_consumed (just past the offending token) for errors inside the
    /// text, and the input length for text that ends too early.
    @Test(arguments: [
        ("", 0, "premature EOF"),
        ("   ", 3, "premature EOF"),
        ("{", 1, "premature EOF"),
        ("[1", 2, "premature EOF"),
        (#"{"a":"#, 5, "premature EOF"),
        (#"{"a":}"#, 6, "unallowed token at this point in JSON text"),
        ("[1,,2]", 4, "unallowed token at this point in JSON text"),
        (#"{"a" 1}"#, 6, "object key and value must be separated by a colon (':')"),
        ("{} x", 4, "trailing garbage"),
        ("[1] [2]", 5, "trailing garbage"),
        ("{1:2}", 2, "invalid object key (must be a string)"),
        ("  {\"abc\": 12, 3}", 15, "invalid object key (must be a string)"),
        ("[01]", 3, "after array element, I expect ',' or ']'"),
        ("[tru]", 4, "invalid string in json text"),
        (#""\uZZ""#, 3, "invalid (non-hex) character occurs after '\\u' inside string"),
        ("[1.]", 3, "malformed number, a digit is required after the decimal point"),
    ])
    func malformedTextThrowsWithOffsetAndReason(text: String, offset: Int, message: String) {
        let error = parseError { () throws(JSONError) in try JSON.parse(text) }
        #expect(error?.offset == offset)
        #expect(error?.message == message)
        // The bytes entry point reports the same.
        let fromBytes = parseError { () throws(JSONError) in try JSON.parse(Array(text.utf8)) }
        #expect(fromBytes == error)
    }

    @Test func invalidUTF8IsRefused() throws {
        let inValue = parseError { () throws(JSONError) in try JSON.parse([0x22, 0x61, 0xFF, 0x22]) }
        #expect(inValue?.offset == 3)
        #expect(inValue?.message == "invalid bytes in UTF8 string")
        // A truncated two-byte sequence inside an object key.
        let inKey = parseError { () throws(JSONError) in try JSON.parse(Array(#"{"ab"#.utf8) + [0xC3] + Array(#"":1}"#.utf8)) }
        #expect(inKey?.offset == 6)
        #expect(inKey?.message == "invalid bytes in UTF8 string")
        // yajl's check passes these; RundleJSON refuses them instead of repairing them.
        let strict = "invalid UTF-8 in string (overlong form, surrogate, or beyond U+10FFFF)"
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            let error = parseError { () throws(JSONError) in try JSON.parse([0x22] + bad + [0x22]) }
            #expect(error?.message == strict)
            #expect(error?.offset == bad.count + 2)  // just past the string
            let asKey = parseError { () throws(JSONError) in try JSON.parse([0x7B, 0x22] + bad + Array(#"":1}"#.utf8)) }
            #expect(asKey?.message == strict)
        }
        // An escaped lone low surrogate decodes to a surrogate: refused the same way.
        #expect(parseError { () throws(JSONError) in try JSON.parse(#"["\udc00"]"#) }?.message == strict)
        // yajl itself turns an escaped lone high surrogate into "?".
        #expect(try JSON.parse(#""a\ud800b""#) == "a?b")
        // Valid 4-byte sequences and the largest code point pass.
        #expect(try JSON.parse([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]) == .string("\u{10FFFF}"))
    }

    @Test func descriptionNamesByteAndReason() {
        let error = parseError { () throws(JSONError) in try JSON.parse(#"{"process": {"args": ["sh"], 7: 1}}"#) }
        #expect(error?.description == "malformed JSON at byte 30: invalid object key (must be a string)")
        #expect(JSONError(offset: 3, message: "x").description == "malformed JSON at byte 3: x")
    }

    @Test func messagesAreCleanedToOneLine() {
        #expect(JSONError.cleanedMessage(fromYajl: "parse error: premature EOF\n") == "premature EOF")
        #expect(JSONError.cleanedMessage(fromYajl: "lexical error: invalid char in json text.\n") == "invalid char in json text")
        #expect(JSONError.cleanedMessage(fromYajl: "something\n  else\n") == "something else")
        #expect(JSONError.cleanedMessage(fromYajl: "\n") == "unknown error")
    }
}
