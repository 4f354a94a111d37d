extension Property {
    /// Keys are stored and filtered on; they must be non-empty single-line text without '/'
    /// (Garden clients use dotted keys such as `garden.grace-time`).
    public static func validateKey(_ key: String) throws(RundleError) {
        if key.isEmpty { throw RundleError(.invalidArgument, "invalid property key: it is empty") }
        if key.contains("/") { throw RundleError(.invalidArgument, "invalid property key '\(key)': contains '/'") }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw RundleError(.invalidArgument, "invalid property key: contains a newline or control character")
        }
        if key.utf8.count > 1024 { throw RundleError(.invalidArgument, "invalid property key: longer than 1024 bytes") }
    }
}
