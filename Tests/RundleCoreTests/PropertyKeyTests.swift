import Testing
@testable import RundleCore

@Suite struct PropertyKeyTests {
    @Test(arguments: [
        "a", "garden.grace-time", "executor:owner", "key with spaces", "ключ", "🐳",
        "x=y", String(repeating: "k", count: 1024),
    ])
    func acceptsKeys(_ key: String) throws {
        try Property.validateKey(key)
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("a/b", "contains '/'"),
        ("/", "contains '/'"),
        ("line\nbreak", "control character"),
        ("cr\r", "control character"),
        ("nul\u{0}", "control character"),
        ("del\u{7f}", "control character"),
        (String(repeating: "k", count: 1025), "longer than 1024 bytes"),
        // 513 two-byte characters: 1026 bytes though only 513 characters.
        (String(repeating: "é", count: 513), "longer than 1024 bytes"),
    ])
    func rejectsKeys(_ key: String, _ fragment: String) {
        do {
            try Property.validateKey(key)
            Issue.record("accepted the key \(key.debugDescription)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("invalid property key"))
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }
}
