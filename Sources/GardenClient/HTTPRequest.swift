/// An HTTP/1.1 request as the client sends it (`Host: api`, like the Go client).
public struct GardenHTTPRequest: Sendable {
    public var method: String
    /// Origin-form target: path plus an optional `?query`, already escaped.
    public var target: String
    /// Extra headers (Content-Type goes here); Host, User-Agent and the framing headers are
    /// added when the request is written.
    public var headers: [GardenHTTPHeader]
    public var body: GardenHTTPBody
    /// Sends `Connection: close` (ordinary requests, like Go with keep-alives off); hijacked
    /// requests must not, or the server could not keep the connection for the stream.
    public var closeConnection: Bool

    public init(method: String, target: String, headers: [GardenHTTPHeader] = [],
                body: GardenHTTPBody = .none, closeConnection: Bool = true) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// The request line and headers, ending with the blank line.
    func headBytes(userAgent: String) throws(GardenClientError) -> [UInt8] {
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            throw GardenClientError(.invalidArgument, "invalid HTTP method \(quoted(method))")
        }
        guard target.hasPrefix("/"), !target.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw GardenClientError(.invalidArgument, "invalid request target \(quoted(target))")
        }
        var lines = ["\(method) \(target) HTTP/1.1", "Host: api", "User-Agent: \(userAgent)"]
        switch body {
        case .none: break
        case .bytes(let bytes): lines.append("Content-Length: \(bytes.count)")
        case .chunked: lines.append("Transfer-Encoding: chunked")
        }
        for header in headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte),
                  !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw GardenClientError(.invalidArgument, "invalid header \(quoted(header.name + ": " + header.value))")
            }
            lines.append("\(header.name): \(header.value)")
        }
        if closeConnection { lines.append("Connection: close") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}

/// A request body: none, a fixed byte string (sent with Content-Length), or a source of unknown
/// length (sent with `Transfer-Encoding: chunked`).
public enum GardenHTTPBody: Sendable {
    case none
    case bytes([UInt8])
    case chunked(ByteSource)
}

/// The response to a raw request: its head and whole body (de-chunked).
public struct GardenHTTPResponse: Sendable {
    public var head: GardenHTTPResponseHead
    public var body: [UInt8]

    public var status: Int { head.status }
    /// The body as text (invalid UTF-8 replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
