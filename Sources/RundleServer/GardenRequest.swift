import GardenProtocol
import RundleJSON

/// One decoded HTTP request, routed: what the API layer works from.
struct GardenRequest: Sendable {
    let route: GardenRoute
    let params: [String: String]
    let query: [(key: String, value: String)]
    /// The JSON body (empty for none).
    let body: [UInt8]
    /// Stream-in only: the spooled tar.
    let spoolPath: String?
    let requestID: String?

    func param(_ name: String) -> String { params[name] ?? "" }

    func queryValue(_ key: String) -> String? { query.first { $0.key == key }?.value }

    var handle: String? { params["handle"] }
}

/// What the API layer answers; the HTTP handler turns it into bytes.
enum GardenReply: Sendable {
    /// A JSON body with this status (200, or 201).
    case json(JSON, status: Int = 200)
    case error(GardenError)
    /// Stream-out: a tar produced by `job`, sent chunked.
    case tar(StreamOutJob)
    /// Run (201) / Attach (200): the connection becomes the session's control connection.
    case processControl(ProcessSession, status: Int)
    /// Stdout / Stderr of a stream id: the connection becomes that output (nil: unknown id, close at once).
    case processOutput(OutputOutlet?)

    static let empty: GardenReply = .json(JSON.object(JSONObject()))
}
