/// `application/x-www-form-urlencoded` query strings, read and written as Go's net/url does.
public enum FormQuery {
    /// The pairs of `query` (without the `?`), in order, as url.ParseQuery reads them: split at
    /// `&`, then at the first `=`; `+` is a space. Like Go, a pair containing `;`, an empty
    /// pair, or one with a malformed `%` escape is skipped.
    public static func parse<S: StringProtocol>(_ query: S) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if part.contains(";") { continue }
            let cut = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = cut[0]
            let rawValue = cut.count > 1 ? cut[1] : ""
            guard let key = PercentEncoding.unescape(rawKey, plusIsSpace: true),
                let value = PercentEncoding.unescape(rawValue, plusIsSpace: true)
            else { continue }
            pairs.append((key, value))
        }
        return pairs
    }

    /// The query for `pairs` as url.Values.Encode writes it: keys sorted bytewise, each key's
    /// values in their given order, both QueryEscape'd (space as `+`, `/` as `%2F`).
    public static func encode(_ pairs: [(String, String)]) -> String {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (key, value) in pairs {
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(value)
        }
        var parts: [String] = []
        for key in order.sorted(by: goLess) {
            let escapedKey = PercentEncoding.escape(key, .queryComponent)
            for value in values[key] ?? [] {
                parts.append(escapedKey + "=" + PercentEncoding.escape(value, .queryComponent))
            }
        }
        return parts.joined(separator: "&")
    }

    /// The first value for `key` (url.Values.Get), or nil when the key is absent.
    public static func first(_ key: String, in pairs: [(key: String, value: String)]) -> String? {
        pairs.first { $0.key == key }?.value
    }

    /// The first value of every key, as a property filter for List (url.Values, first value per key).
    public static func firstValues(_ pairs: [(key: String, value: String)]) -> [String: String] {
        var out: [String: String] = [:]
        for pair in pairs where out[pair.key] == nil { out[pair.key] = pair.value }
        return out
    }
}
