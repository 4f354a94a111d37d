import Testing
@testable import RundleCore

@Suite struct HandleTests {
    @Test(arguments: [
        "7d1f3c1e-5b2a-4c3d-9e8f-0a1b2c3d4e5f",
        "a.b_c-d+e",
        "web1",
        "A",
        "0",
        "x.y.z",
        String(repeating: "h", count: 128),
    ])
    func acceptsTypicalHandles(_ handle: String) throws {
        try Handle.validate(handle)
    }

    @Test func maxLengthIs128() {
        #expect(Handle.maxLength == 128)
    }

    @Test(arguments: [
        (String(repeating: "h", count: 129), "longer than 128 characters"),
        ("a/b", "contains '/'"),
        ("/abs", "contains '/'"),
        ("..", "contains '..'"),
        ("a..b", "contains '..'"),
        ("a\nb", "contains a control character"),
        ("a\u{7f}", "contains a control character"),
        ("tab\there", "contains a control character"),
        (".hidden", "starts with '.'"),
        (".", "starts with '.'"),
        ("a b", "contains ' '"),
        ("caf\u{e9}", "contains '\u{e9}'"),
        ("a:b", "contains ':'"),
        ("x*", "contains '*'"),
    ])
    func rejectsBadHandles(_ handle: String, _ fragment: String) {
        do {
            try Handle.validate(handle)
            Issue.record("'\(handle)' was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.message.hasPrefix("invalid handle '"))
            #expect(error.handle == handle)
            // One line whatever the handle holds.
            #expect(!error.message.contains("\n") && !error.message.contains("\t"))
        }
    }

    @Test func rejectsEmpty() {
        do {
            try Handle.validate("")
            Issue.record("the empty handle was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "invalid handle: it is empty")
        }
    }

    @Test func lengthIsCountedInBytes() {
        // 64 two-byte characters are 128 bytes but would be refused for the character anyway;
        // the length check must come first, so the message names the length.
        let handle = String(repeating: "\u{e9}", count: 65)
        do {
            try Handle.validate(handle)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("longer than 128 characters"))
        }
    }

    @Test func controlCharactersAreEscapedInTheMessage() {
        do {
            try Handle.validate("a\u{1}b")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("'a\\x01b'"), "\(error.message)")
        }
    }

    @Test func generateIsAUUIDv4() throws {
        let handle = Handle.generate()
        let groups = handle.split(separator: "-", omittingEmptySubsequences: false)
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(handle.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(groups[2].first == "4")
        #expect(groups[3].first.map { "89ab".contains($0) } == true)
        try Handle.validate(handle)
    }

    @Test func generateDiffersEachTime() {
        let handles = (0..<50).map { _ in Handle.generate() }
        #expect(Set(handles).count == handles.count)
    }
}
