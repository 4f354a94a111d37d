import GardenProtocol
import RundleJSON

/// The low-level Garden transport, one HTTP/1.1 request per connection like the Go client
/// (`client/connection`): ordinary requests (`perform`, Go's `do`), streamed bodies (`stream`,
/// Go's `Stream`), hijacked process streams (`hijack`, Go's `Hijack`), and raw exchanges for
/// tests (`roundTrip`).
public struct GardenConnection: Sendable {
    public let address: GardenAddress
    public let options: GardenClientOptions

    public init(address: GardenAddress, options: GardenClientOptions = GardenClientOptions()) {
        self.address = address
        self.options = options
    }

    /// Sends `request` and returns the response with its whole body, whatever the status.
    public func roundTrip(_ request: GardenHTTPRequest) throws -> GardenHTTPResponse {
        var (reader, head) = try exchange(request)
        let framing = try head.bodyFraming(requestMethod: request.method)
        let body = try HTTPBodyReader.collect(framing, from: &reader, idleTimeout: options.responseTimeout,
                                              limit: options.maxResponseBytes)
        return GardenHTTPResponse(head: head, body: body)
    }

    /// Go's `do`: a JSON request (body encoded with a trailing newline, `Content-Type:
    /// application/json`), whose 2xx response body must be JSON (an empty one is an error).
    /// A non-2xx response throws the server's `GardenError`.
    public func perform(_ route: GardenRoute, params: [String: String] = [:],
                        query: [(String, String)]? = nil, body: JSON? = nil) throws -> JSON {
        let bytes = try performBody(route, params: params, query: query, body: body)
        do {
            return try JSON.parse(bytes)
        } catch {
            throw GardenClientError(.badResponse, "bad response: \(error): \(quoted(String(decoding: bytes.prefix(200), as: UTF8.self)))")
        }
    }

    /// `perform`, returning the 2xx body undecoded (but never empty).
    func performBody(_ route: GardenRoute, params: [String: String] = [:],
                     query: [(String, String)]? = nil, body: JSON? = nil) throws -> [UInt8] {
        let request = try makeRequest(route, params: params, query: query,
                                      body: body.map { .bytes($0.serializedBytes() + [0x0A]) } ?? .none,
                                      contentType: body == nil ? nil : "application/json")
        var (reader, head) = try exchange(request)
        guard head.isSuccess else { throw try errorResponse(head, &reader, method: request.method) }
        let bytes = try HTTPBodyReader.collect(try head.bodyFraming(requestMethod: request.method), from: &reader,
                                               idleTimeout: options.responseTimeout, limit: options.maxResponseBytes)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw GardenClientError(.badResponse, "bad response: \(head.statusText) with an empty body (EOF)")
        }
        return bytes
    }

    /// Go's `Stream`: sends `body`, throws the server's error for a non-2xx response, else hands
    /// the response body to `sink` piece by piece (a tar for StreamOut).
    public func stream(_ route: GardenRoute, params: [String: String] = [:], query: [(String, String)]? = nil,
                       body: GardenHTTPBody = .none, contentType: String? = nil,
                       into sink: ([UInt8]) throws -> Void) throws {
        try send(try makeRequest(route, params: params, query: query, body: body, contentType: contentType),
                 into: sink)
    }

    /// Go's `Hijack`: sends the request without `Connection: close`, reads only the response
    /// head, and hands back the connection with every byte after the head still to be read.
    /// A non-2xx response throws the server's `GardenError`.
    public func hijack(_ route: GardenRoute, params: [String: String] = [:], query: [(String, String)]? = nil,
                       body: [UInt8]? = nil, contentType: String? = nil) throws -> GardenHijackedConnection {
        var request = try makeRequest(route, params: params, query: query,
                                      body: body.map { .bytes($0) } ?? .none, contentType: contentType)
        request.closeConnection = false
        var (reader, head) = try exchange(request)
        guard head.isSuccess else { throw try errorResponse(head, &reader, method: request.method) }
        return GardenHijackedConnection(head: head, reader: reader)
    }

    // MARK: - Internals

    /// The request for `route`: path from `params`, form-encoded `query` (none when nil or empty).
    func makeRequest(_ route: GardenRoute, params: [String: String], query: [(String, String)]?,
                     body: GardenHTTPBody, contentType: String?) throws -> GardenHTTPRequest {
        var target = route.path(params)
        if let query, !query.isEmpty { target += "?" + FormQuery.encode(query) }
        var headers: [GardenHTTPHeader] = []
        if let contentType { headers.append(GardenHTTPHeader("Content-Type", contentType)) }
        return GardenHTTPRequest(method: route.method, target: target, headers: headers, body: body)
    }

    /// Sends `request`; a 2xx body goes to `sink`, anything else is thrown as an error.
    private func send(_ request: GardenHTTPRequest, into sink: ([UInt8]) throws -> Void) throws {
        var (reader, head) = try exchange(request)
        guard head.isSuccess else { throw try errorResponse(head, &reader, method: request.method) }
        try HTTPBodyReader.read(try head.bodyFraming(requestMethod: request.method), from: &reader,
                                idleTimeout: options.responseTimeout, sink: sink)
    }

    /// Connects, writes the request, reads the response head.
    func exchange(_ request: GardenHTTPRequest) throws -> (ConnectionReader, GardenHTTPResponseHead) {
        let head = try request.headBytes(userAgent: options.userAgent)
        let socket = try Socket.connect(to: address, timeout: options.connectTimeout)
        var reader = ConnectionReader(socket: socket)
        var writeError: GardenClientError?
        do {
            try write(request.body, after: head, to: socket)
        } catch let error as GardenClientError where error.code == .connectionFailed {
            // A server may answer before reading the whole body (an unknown handle on a
            // stream-in) and close: its answer says more than our failed write.
            writeError = error
        }
        switch readHead(&reader) {
        case .success(let answer):
            return (reader, answer)
        case .failure(let error):
            if let writeError { throw writeError }
            if error.code == .timedOut {
                throw GardenClientError(.timedOut, "\(request.method) \(pathOnly(request.target)): no response from \(address) within \(IODeadline(options.responseTimeout).timeoutText)")
            }
            throw error
        }
    }

    private func readHead(_ reader: inout ConnectionReader) -> Result<GardenHTTPResponseHead, GardenClientError> {
        let deadline = IODeadline(options.responseTimeout)
        let maxBytes = options.maxHeadBytes
        return Result { () throws(GardenClientError) in
            try GardenHTTPResponseHead.read(from: &reader, maxBytes: maxBytes, deadline: deadline)
        }
    }

    /// Writes the head and the body (Content-Length bytes, or chunks from a source).
    private func write(_ body: GardenHTTPBody, after head: [UInt8], to socket: Socket) throws {
        let deadline = IODeadline(options.responseTimeout)
        switch body {
        case .none:
            try socket.write(head, deadline: deadline)
        case .bytes(let bytes):
            try socket.write(head + bytes, deadline: deadline)
        case .chunked(let source):
            try socket.write(head, deadline: deadline)
            var reader = ByteSourceReader(source)
            while let chunk = try reader.next() {
                guard !chunk.isEmpty else { continue }
                try socket.write(Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + [0x0D, 0x0A],
                                 deadline: deadline.restarted())
            }
            try socket.write(Array("0\r\n\r\n".utf8), deadline: deadline.restarted())
        }
    }

    /// The error a non-2xx response stands for: the server's `GardenError` when the body is
    /// one, else a `badResponse` client error quoting the status and body.
    private func errorResponse(_ head: GardenHTTPResponseHead, _ reader: inout ConnectionReader,
                               method: String) throws -> any Error {
        let body = try HTTPBodyReader.collect(try head.bodyFraming(requestMethod: method), from: &reader,
                                              idleTimeout: options.responseTimeout, limit: options.maxResponseBytes)
        if let error = decodeGardenError(body) { return error }
        let text = String(decoding: body, as: UTF8.self)
        return GardenClientError(.badResponse, "bad response: \(head.statusText): \(quoted(trimmedNewlines(text)))")
    }
}

/// The `GardenError` in an error response body, or nil when it is not one.
func decodeGardenError(_ body: [UInt8]) -> GardenError? {
    guard let json = try? JSON.parse(body), case .object = json else { return nil }
    return try? GardenError(json: json)
}

/// The target without its query (messages).
private func pathOnly(_ target: String) -> Substring {
    target.prefix { $0 != "?" }
}

/// `text` without trailing newlines.
private func trimmedNewlines(_ text: String) -> String {
    var text = Substring(text)
    while text.last == "\n" || text.last == "\r" { text = text.dropLast() }
    return String(text)
}
