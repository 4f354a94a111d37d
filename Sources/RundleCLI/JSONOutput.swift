import RundleJSON

/// Small helpers for the CLI's JSON output.
enum JSONOutput {
    static func object(_ pairs: KeyValuePairs<String, JSON>) -> String {
        var o = JSON.object(JSONObject())
        for (k, v) in pairs { o[k] = v }
        return o.serialized(pretty: true)
    }
}
