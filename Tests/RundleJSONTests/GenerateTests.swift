import Testing
@testable import RundleJSON

@Suite struct GenerateTests {
    let sample: JSON = [
        "a": [1, 2],
        "b": [:],
        "c": [],
        "d": ["e": nil, "f": [true, false, "x"]],
        "url": "https://example.com/a/b",
    ]

    @Test func compactHasNoWhitespaceAndKeepsSlashes() {
        #expect(sample.serialized() == #"{"a":[1,2],"b":{},"c":[],"d":{"e":null,"f":[true,false,"x"]},"url":"https://example.com/a/b"}"#)
        #expect(sample.serializedBytes() == Array(sample.serialized().utf8))
    }

    @Test func prettyIndentsWithTwoSpacesAndNoTrailingNewline() {
        let expected = """
            {
              "a": [
                1,
                2
              ],
              "b": {},
              "c": [],
              "d": {
                "e": null,
                "f": [
                  true,
                  false,
                  "x"
                ]
              },
              "url": "https://example.com/a/b"
            }
            """
        #expect(sample.serialized(pretty: true) == expected)
        #expect(sample.serializedBytes(pretty: true) == Array(expected.utf8))
        #expect(JSON(1).serialized(pretty: true) == "1")
        #expect(JSON.array([]).serialized(pretty: true) == "[]")
    }

    @Test func controlCharactersAndNULAreEscapedNeverFatal() throws {
        let text = "a\u{0}b\u{1}\u{1F}\u{7F}\u{8}\u{C}\r\n\t\"\\/é😀"
        let value = JSON.string(text)
        #expect(value.serialized() == #""a\u0000b\u0001\u001F"# + "\u{7F}" + #"\b\f\r\n\t\"\\/é😀""#)
        #expect(try JSON.parse(value.serialized()) == value)
        let asKey: JSON = .object(JSONObject([(text, .null)]))
        #expect(try JSON.parse(asKey.serializedBytes(pretty: true)) == asKey)
    }

    @Test func builtNumbersAreExact() throws {
        #expect(JSON(UInt64.max).serialized() == "18446744073709551615")
        #expect(JSON(Int64.min).serialized() == "-9223372036854775808")
        #expect(JSON(Int64(9_223_372_036_854_771_712)).serialized() == "9223372036854771712")
        #expect(JSON(0.5).serialized() == "0.5")
        #expect(JSON(3.0).serialized() == "3")
    }

    @Test func invalidNumberLiteralsStillGiveValidJSON() throws {
        func text(_ literal: String) -> String { JSON.number(JSONNumber(literal: literal)).serialized() }
        #expect(text("abc") == "0")
        #expect(text("") == "0")
        #expect(text("+1") == "1")
        #expect(text("1.") == "1")
        #expect(text("0x10") == "16")
        #expect(text("NaN") == "0")
        #expect(text("01") == "1")
        #expect(text("-0.0e-0") == "-0.0e-0")  // valid JSON, kept as is
        let array = JSON.array(["1 2", "--1", ".5", "1e", "1e+"].map { .number(JSONNumber(literal: $0)) })
        #expect(throws: Never.self) { try JSON.parse(array.serialized()) }
        #expect(!JSONNumber(literal: "1e").isValidJSON)
        #expect(JSONNumber(literal: "-12.5E-3").isValidJSON)
    }

    @Test func nestingBeyondYajlGenLimitIsStillWritten() throws {
        // yajl_gen stops at 127 open containers; the Swift writer takes over.
        for depth in [126, 127, 128, 200, 600] {
            let value = nestedArrays(depth)
            let compact = value.serialized()
            #expect(compact == String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth))
            let pretty = value.serialized(pretty: true)
            #expect(pretty.hasPrefix("[\n  [\n    ["))
            #expect(pretty.hasSuffix("\n  ]\n]"))
            if depth <= JSONTreeBuilder.maxDepth {
                #expect(try JSON.parse(compact) == value)
                #expect(try JSON.parse(pretty) == value)
            }
        }
        let deepObject: JSON = ["outer": ["list": nestedArrays(300), "after": "é\u{1}"], "z": [:]]
        #expect(try JSON.parse(deepObject.serialized()) == deepObject)
        #expect(try JSON.parse(deepObject.serialized(pretty: true)) == deepObject)
    }

    /// The fallback writer must produce byte-for-byte what yajl_gen produces.
    @Test func swiftWriterMatchesYajlGen() throws {
        let config = try JSON.parse(realisticConfigJSON)
        let odd: JSON = ["s": .string("\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1E}\u{1F} \"\\/\u{7F}é😀"),
                         "n": .number(JSONNumber(literal: "bad")), "e": [[], [:], [[:]]], "k\n": nil]
        for value in [config, odd, sample, JSON.null, JSON(1), JSON("x"), JSON.array([]), nestedArrays(100)] {
            for pretty in [false, true] {
                #expect(JSONTextWriter.write(value, pretty: pretty) == value.serializedBytes(pretty: pretty))
            }
        }
    }
}
