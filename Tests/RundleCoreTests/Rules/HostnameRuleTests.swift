import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct HostnameRuleTests {
    @Test func hostnameIsTheHandle() throws {
        let before = Fixtures.busy
        let after = try HostnameRule().apply(before, spec: Fixtures.spec("web-1"), context: Fixtures.context())
        #expect(after.json["hostname"] == "web-1")
        expectOnlyChanged(before, after, at: [["hostname"]])
        #expect(after.json.objectValue?.keys == before.json.objectValue?.keys)
    }

    @Test func longHandlesKeepTheirLast63Bytes() throws {
        let handle = String(repeating: "a", count: 37) + String(repeating: "0123456789", count: 6) + "xyz"
        let after = try HostnameRule().apply(.empty, spec: Fixtures.spec(handle), context: Fixtures.context())
        let expected = String(repeating: "0123456789", count: 6) + "xyz"
        #expect(expected.utf8.count == 63)
        #expect(after.hostname == expected)
    }

    @Test func exactly63IsKept() {
        let handle = String(repeating: "b", count: 63)
        #expect(HostnameRule.hostname(for: handle) == handle)
        #expect(HostnameRule.hostname(for: handle + "c") == String(repeating: "b", count: 62) + "c")
    }

    @Test func cutNeverSplitsACharacter() {
        // 32 two-byte characters = 64 bytes: only 31 of them fit.
        let handle = String(repeating: "é", count: 32)
        let name = HostnameRule.hostname(for: handle)
        #expect(name == String(repeating: "é", count: 31))
        #expect(name.utf8.count == 62)
    }
}
