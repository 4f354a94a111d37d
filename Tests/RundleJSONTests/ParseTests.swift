import Testing
@testable import RundleJSON

@Suite struct ParseTests {
    @Test func scalarsAtTopLevelWithSurroundingWhitespace() throws {
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse(" \n\ttrue\r\n ") == .bool(true))
        #expect(try JSON.parse("false") == .bool(false))
        #expect(try JSON.parse("42") == .number(JSONNumber(literal: "42")))
        #expect(try JSON.parse("-1.25e+3 ") == .number(JSONNumber(literal: "-1.25e+3")))
        #expect(try JSON.parse(#""x""#) == .string("x"))
        #expect(try JSON.parse(Array("[]".utf8)) == .array([]))
        #expect(try JSON.parse("{}") == .object(JSONObject()))
    }

    @Test func numbersKeepTheirLiteralText() throws {
        let text = "[9223372036854771712,-9223372036854775808,18446744073709551615,123456789012345678901234567890,1.5e-7,-0,1E+2,0.10]"
        let value = try JSON.parse(text)
        let numbers = try #require(value.arrayValue)
        #expect(numbers.map { $0.numberLiteral } == [
            "9223372036854771712", "-9223372036854775808", "18446744073709551615",
            "123456789012345678901234567890", "1.5e-7", "-0", "1E+2", "0.10",
        ])
        #expect(numbers[0].int64Value == 9_223_372_036_854_771_712)
        #expect(numbers[1].int64Value == Int64.min)
        #expect(numbers[2].uint64Value == UInt64.max)
        #expect(numbers[2].int64Value == nil)
        #expect(value.serialized() == text)
    }

    @Test func bigIntegersInObjectsSurviveARoundTripExactly() throws {
        let text = #"{"limit":9223372036854771712,"min":-9223372036854775808,"max":18446744073709551615}"#
        let value = try JSON.parse(text)
        #expect(value["limit"]?.int64Value == 9_223_372_036_854_771_712)
        #expect(value["max"]?.uint64Value == 18_446_744_073_709_551_615)
        #expect(value.serialized() == text)
        #expect(try JSON.parse(value.serializedBytes()) == value)
        // Through Double these would print as 9.223372036854772e+18 and 1.8446744073709552e+19.
        #expect(!value.serialized().contains("e18"))
    }

    @Test func unicodeAndEscapesDecodeToTheSameStrings() throws {
        let value = try JSON.parse(#"["é", "😀", "\u00e9", "\ud83d\ude00", "a\nb\tc\"d\\e\/f", "\u0000x", "caf\u00E9 😀"]"#)
        #expect(value.stringArrayValue == ["é", "😀", "é", "😀", "a\nb\tc\"d\\e/f", "\u{0}x", "café 😀"])
        let again = try JSON.parse(value.serialized())
        #expect(again == value)
        #expect(try JSON.parse(value.serialized(pretty: true)) == value)
        let escapedKey = try JSON.parse(#"{"k\u00e9y\n": 1}"#)
        #expect(escapedKey.objectValue?.keys == ["kéy\n"])
    }

    @Test func duplicateKeysLastValueWinsAtFirstPosition() throws {
        let value = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"]?.int64Value == 3)
        #expect(value.serialized() == #"{"a":3,"b":2}"#)
    }

    @Test func keyOrderIsKept() throws {
        let value = try JSON.parse(#"{"z":1,"a":{"y":2,"b":3,"m":4},"k":[{"q":1,"c":2}]}"#)
        #expect(value.objectValue?.keys == ["z", "a", "k"])
        #expect(value["a"]?.objectValue?.keys == ["y", "b", "m"])
        #expect(value["k"]?.arrayValue?.first?.objectValue?.keys == ["q", "c"])
    }

    @Test func stringAndBytesEntryPointsAgree() throws {
        let text = #"{"x":[1,"é",null]}"#
        #expect(try JSON.parse(text) == JSON.parse(Array(text.utf8)))
        // A String that is a slice of a larger one (not necessarily contiguous native storage).
        let bridged = String(("   " + text + "   ").dropFirst(3).dropLast(3))
        #expect(try JSON.parse(bridged) == JSON.parse(text))
    }

    @Test func nestingUpToTheLimitParsesAndBeyondIsRefused() throws {
        let depth = JSONTreeBuilder.maxDepth
        let ok = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try JSON.parse(ok).serialized() == ok)
        let deep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        let error = parseError { () throws(JSONError) in try JSON.parse(deep) }
        #expect(error?.offset == depth + 1)
        #expect(error?.message == "nesting deeper than \(depth) levels")
    }
}

extension JSON {
    /// The literal of a number, for tests.
    fileprivate var numberLiteral: String? {
        if case .number(let n) = self { return n.literal }
        return nil
    }
}
