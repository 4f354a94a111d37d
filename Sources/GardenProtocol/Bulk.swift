import RundleJSON

/// One container's part of a BulkInfo reply: `{"Info":...,"Err":null}` or, on failure, a zero Info and the error.
public struct InfoEntry: Sendable, Hashable {
    public var info: GardenContainerInfo?
    public var error: GardenError?

    /// An entry; give `info` on success, `error` on failure.
    public init(info: GardenContainerInfo? = nil, error: GardenError? = nil) {
        self.info = info
        self.error = error
    }

    func json() -> JSON {
        ["Info": info?.json() ?? GardenContainerInfo.zeroValueJSON, "Err": error?.json() ?? .null]
    }

    /// A failed entry decodes with `info` nil: its Info is only Go's zero value.
    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.ContainerInfoEntry")
        error = try fields.decode("Err") { (v, p) throws(GardenDecodingError) in try GardenError(json: v, at: p) }
        let decoded = try fields.decode("Info") { (v, p) throws(GardenDecodingError) in try GardenContainerInfo(json: v, at: p) }
        info = error == nil ? (decoded ?? GardenContainerInfo()) : nil
    }
}

/// One container's part of a BulkMetrics reply: `{"Metrics":...,"Err":null|error}`.
public struct MetricsEntry: Sendable, Hashable {
    public var metrics: GardenMetrics?
    public var error: GardenError?

    /// An entry; give `metrics` on success, `error` on failure.
    public init(metrics: GardenMetrics? = nil, error: GardenError? = nil) {
        self.metrics = metrics
        self.error = error
    }

    func json() -> JSON {
        ["Metrics": (metrics ?? GardenMetrics()).json(), "Err": error?.json() ?? .null]
    }

    /// A failed entry decodes with `metrics` nil: its Metrics are only Go's zero value.
    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.ContainerMetricsEntry")
        error = try fields.decode("Err") { (v, p) throws(GardenDecodingError) in try GardenError(json: v, at: p) }
        let decoded = try fields.decode("Metrics") { (v, p) throws(GardenDecodingError) in try GardenMetrics(json: v, at: p) }
        metrics = error == nil ? (decoded ?? GardenMetrics()) : nil
    }
}

/// BulkInfo / BulkMetrics bodies: a JSON object keyed by handle (Go map: keys written sorted).
public enum GardenBulk {
    /// The BulkInfo reply for these entries (a repeated handle keeps its last entry).
    public static func bulkInfoJSON(_ entries: [(String, InfoEntry)]) -> JSON {
        keyedObject(entries.map { ($0.0, $0.1.json()) })
    }

    /// Reads a BulkInfo reply.
    public static func decodeBulkInfo(_ json: JSON) throws(GardenDecodingError) -> [String: InfoEntry] {
        try decodeKeyed(json, root: "BulkInfo", goType: "map[string]garden.ContainerInfoEntry") {
            (value, path) throws(GardenDecodingError) in try InfoEntry(json: value, at: path)
        }
    }

    /// The BulkMetrics reply for these entries (a repeated handle keeps its last entry).
    public static func bulkMetricsJSON(_ entries: [(String, MetricsEntry)]) -> JSON {
        keyedObject(entries.map { ($0.0, $0.1.json()) })
    }

    /// Reads a BulkMetrics reply.
    public static func decodeBulkMetrics(_ json: JSON) throws(GardenDecodingError) -> [String: MetricsEntry] {
        try decodeKeyed(json, root: "BulkMetrics", goType: "map[string]garden.ContainerMetricsEntry") {
            (value, path) throws(GardenDecodingError) in try MetricsEntry(json: value, at: path)
        }
    }

    /// The handles of a bulk request's `handles` query value: comma-separated; empty (or missing) = none.
    public static func handles(fromQueryValue value: String?) -> [String] {
        guard let value, !value.isEmpty else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    private static func keyedObject(_ pairs: [(String, JSON)]) -> JSON {
        var latest: [String: JSON] = [:]
        for (key, value) in pairs { latest[key] = value }
        var object = JSONObject()
        for key in latest.keys.sorted(by: goLess) { object[key] = latest[key] }
        return .object(object)
    }

    private static func decodeKeyed<T>(
        _ json: JSON, root: String, goType: String, _ entry: (JSON, FieldPath) throws(GardenDecodingError) -> T
    ) throws(GardenDecodingError) -> [String: T] {
        let path = FieldPath(root)
        switch json {
        case .null:
            return [:]
        case .object(let object):
            var out: [String: T] = [:]
            for (handle, value) in object { out[handle] = try entry(value, path) }
            return out
        default:
            throw .mismatch(json, at: path, goType: goType)
        }
    }
}
