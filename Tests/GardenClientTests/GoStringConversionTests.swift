import Testing
@testable import GardenClient

@Suite struct GoStringConversionTests {
    let replacement = "\u{FFFD}"

    @Test func validUTF8PassesThrough() {
        #expect(GoStringConversion.lossy(Array("héllo ✓ 😀".utf8)[...]) == "héllo ✓ 😀")
    }

    @Test func everyInvalidByteBecomesOneReplacementAsInGo() {
        // E2 82 is a truncated 3-byte sequence: Go replaces each byte, Swift's decoder only once.
        #expect(GoStringConversion.lossy([0x61, 0xE2, 0x82, 0x62][...]) == "a\(replacement)\(replacement)b")
        #expect(GoStringConversion.lossy([0xFF, 0xC0, 0x80][...]) == String(repeating: replacement, count: 3))
        // Surrogates (ED A0 80) and overlongs (E0 80 80) are invalid.
        #expect(GoStringConversion.lossy([0xED, 0xA0, 0x80][...]) == String(repeating: replacement, count: 3))
        #expect(GoStringConversion.lossy([0xF4, 0x90, 0x80, 0x80][...]) == String(repeating: replacement, count: 4))
    }

    @Test func sequencesSplitAcrossChunksStayWhole() {
        var conversion = GoStringConversion()
        let check = Array("✓".utf8)
        #expect(conversion.convert([0x61] + check.prefix(1)) == "a")
        #expect(conversion.convert(Array(check.dropFirst())) == "✓")
        #expect(conversion.convert(Array("😀".utf8).prefix(3).map { $0 }) == "")
        #expect(conversion.finish() == String(repeating: replacement, count: 3))
        #expect(conversion.finish() == "")
    }

    @Test func anInvalidTailIsNotHeldBack() {
        var conversion = GoStringConversion()
        #expect(conversion.convert([0x61, 0xE2, 0x41]) == "a\(replacement)A")
        #expect(conversion.convert([0x80]) == replacement)
    }
}
