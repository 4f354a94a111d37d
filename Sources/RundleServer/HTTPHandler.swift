import GardenProtocol
import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import RundleJSON
import RundleOS

/// One HTTP/1.1 connection: collects a request, routes it, runs the API call on the worker pool
/// (runtime calls block) and writes the answer — or hands the connection over to a process
/// stream (Garden's "hijack": a chunked response head, then raw bytes both ways).
final class GardenHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let decoderName = "http-decoder"
    static let encoderName = "http-encoder"

    private let api: GardenAPI
    private let workers: NIOThreadPool
    private let logger: Logger

    private struct Pending {
        var head: HTTPRequestHead
        var route: GardenRoute
        var params: [String: String]
        var body: [UInt8] = []
        var spool: Spool?
        var started: ContinuousClock.Instant
        /// The body grew past its limit: answered already, the rest is ignored.
        var rejected = false
    }
    private var pending: Pending?

    init(api: GardenAPI, workers: NIOThreadPool, logger: Logger) {
        self.api = api
        self.workers = workers
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            begin(context: context, head: head)
        case .body(var buffer):
            guard var request = pending, !request.rejected else { return }
            if let spool = request.spool {
                let bytes = buffer.readableBytesView
                if spool.written + UInt64(bytes.count) > api.configuration.maxStreamInBytes {
                    pending?.rejected = true
                    reject(context: context, request, GardenError.generic("error streaming in: the tar is larger than \(api.configuration.maxStreamInBytes) bytes"))
                    return
                }
                do { try spool.append(bytes) } catch {
                    pending?.rejected = true
                    reject(context: context, request, GardenError.generic("error streaming in: cannot spool the tar: \(error)"))
                }
            } else {
                if request.body.count + buffer.readableBytes > api.configuration.maxBodyBytes {
                    pending?.rejected = true
                    reject(context: context, request, GardenError.generic("request body is larger than \(api.configuration.maxBodyBytes) bytes"))
                    return
                }
                request.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                pending = request
            }
        case .end:
            guard let request = pending else { return }
            pending = nil
            if request.rejected { return }
            dispatch(context: context, request)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A malformed request (the decoder's error) or a broken connection: answer if we can, close.
        if error is HTTPParserError {
            writeSimple(context: context, status: .badRequest, text: "400 bad request\n", keepAlive: false)
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.spool?.remove()
        pending = nil
        context.fireChannelInactive()
    }

    // MARK: routing

    private func begin(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let (path, _) = Self.splitURI(head.uri)
        switch GardenRouter.match(method: head.method.rawValue, path: path) {
        case .notFound:
            pending = nil
            writeSimple(context: context, status: .notFound, text: "404 page not found\n", keepAlive: head.isKeepAlive)
            logRequest(method: head.method.rawValue, uri: head.uri, route: "-", handle: nil, status: 404, started: .now)
        case .methodNotAllowed(let allowed):
            pending = nil
            writeSimple(context: context, status: .methodNotAllowed, text: "Method Not Allowed\n", keepAlive: head.isKeepAlive,
                        extra: [("Allow", allowed.joined(separator: ", "))])
            logRequest(method: head.method.rawValue, uri: head.uri, route: "-", handle: nil, status: 405, started: .now)
        case .matched(let route, let params):
            var request = Pending(head: head, route: route, params: params, started: .now)
            if route == .streamIn {
                do { request.spool = try Spool(directory: api.spoolDirectory) } catch {
                    pending = request
                    pending?.rejected = true
                    reject(context: context, request, GardenError.generic("error streaming in: cannot spool the tar: \(error)"))
                    return
                }
            }
            pending = request
        }
    }

    private func dispatch(context: ChannelHandlerContext, _ pending: Pending) {
        let (_, query) = Self.splitURI(pending.head.uri)
        let request = GardenRequest(
            route: pending.route, params: pending.params, query: FormQuery.parse(query),
            body: pending.body, spoolPath: pending.spool?.path,
            requestID: pending.head.headers.first(name: "X-Vcap-Request-Id"))
        let keepAlive = pending.head.isKeepAlive
        let spool = pending.spool
        let api = self.api
        // No more requests are read on this connection until this one is answered.
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let started = pending.started
        let method = pending.head.method.rawValue
        let uri = pending.head.uri
        workers.runIfActive(eventLoop: context.eventLoop) { () -> GardenReply in
            defer { spool?.remove() }
            return api.respond(to: request)
        }.whenComplete { result in
            let (handler, context) = bound.value
            let reply: GardenReply
            switch result {
            case .success(let value): reply = value
            case .failure(let error): reply = .error(.generic("internal error: \(error)"))
            }
            let status = handler.send(reply, context: context, keepAlive: keepAlive)
            handler.logRequest(method: method, uri: uri, route: request.route.rawValue, handle: request.handle,
                               status: status, started: started)
        }
    }

    // MARK: answers

    /// Writes the reply; returns its HTTP status for the log.
    private func send(_ reply: GardenReply, context: ChannelHandlerContext, keepAlive: Bool) -> Int {
        switch reply {
        case .json(let json, let status):
            writeJSON(context: context, status: status, json: json, keepAlive: keepAlive)
            return status
        case .error(let error):
            writeJSON(context: context, status: error.httpStatus, json: error.json(), keepAlive: keepAlive)
            return error.httpStatus
        case .tar(let job):
            var head = HTTPResponseHead(version: .http1_1, status: .ok)
            head.headers.add(name: "Content-Type", value: "application/x-tar")
            head.headers.add(name: "Date", value: HTTPDate.now())
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            job.start(channel: context.channel, keepAlive: keepAlive)
            return 200
        case .processControl(let session, let status):
            let head = Self.hijackHead(status: status, json: true)
            var first = ByteBuffer(bytes: head)
            first.writeBytes(ProcessPayload(processID: session.processID, streamID: session.streamID).line())
            Hijack.takeOver(context: context, handler: self, firstBytes: first,
                            rawHandler: ProcessControlHandler(session: session)) { channel in
                session.controlConnected(channel)
            }
            return status
        case .processOutput(let outlet):
            let first = ByteBuffer(bytes: Self.hijackHead(status: 200, json: false))
            if let outlet {
                Hijack.takeOver(context: context, handler: self, firstBytes: first,
                                rawHandler: OutputConnectionHandler(outlet: outlet)) { channel in
                    outlet.connect(channel)
                }
            } else {
                // Unknown or expired stream id: an empty stream (Garden answers 200 and closes).
                context.writeAndFlush(NIOAny(first)).whenComplete { _ in context.close(promise: nil) }
            }
            return 200
        }
    }

    /// The response head Go's server writes before a hijack: chunked framing (never
    /// `Connection: close`, which would make the Go client drop the connection), raw bytes after.
    static func hijackHead(status: Int, json: Bool) -> [UInt8] {
        let reason = status == 201 ? "Created" : "OK"
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        if json { text += "Content-Type: application/json\r\n" }
        text += "Date: \(HTTPDate.now())\r\nTransfer-Encoding: chunked\r\n\r\n"
        return Array(text.utf8)
    }

    private func writeJSON(context: ChannelHandlerContext, status: Int, json: JSON, keepAlive: Bool) {
        var body = json.serializedBytes()
        body.append(UInt8(ascii: "\n"))
        writeResponse(context: context, status: HTTPResponseStatus(statusCode: status), contentType: "application/json",
                      body: body, keepAlive: keepAlive, extra: [])
    }

    private func writeSimple(context: ChannelHandlerContext, status: HTTPResponseStatus, text: String, keepAlive: Bool,
                             extra: [(String, String)] = []) {
        writeResponse(context: context, status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8),
                      keepAlive: keepAlive, extra: extra)
    }

    private func reject(context: ChannelHandlerContext, _ request: Pending, _ error: GardenError) {
        request.spool?.remove()
        writeJSON(context: context, status: error.httpStatus, json: error.json(), keepAlive: false)
        logRequest(method: request.head.method.rawValue, uri: request.head.uri, route: request.route.rawValue,
                   handle: request.params["handle"], status: error.httpStatus, started: request.started)
    }

    /// A complete response with a Content-Length. A connection that will not be reused is
    /// closed after it; `Connection: close` is never sent (see `hijackHead`).
    private func writeResponse(context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String,
                               body: [UInt8], keepAlive: Bool, extra: [(String, String)]) {
        var head = HTTPResponseHead(version: .http1_1, status: status)
        head.headers.add(name: "Content-Type", value: contentType)
        head.headers.add(name: "Date", value: HTTPDate.now())
        head.headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in extra { head.headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        } else {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func logRequest(method: String, uri: String, route: String, handle: String?, status: Int,
                            started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": .string(method), "route": .string(route), "status": .stringConvertible(status),
            "duration_ms": .string(String(Double(Int(ms * 1000)) / 1000)),
        ]
        if let handle { metadata["handle"] = .string(handle) }
        if route == "-" { metadata["uri"] = .string(uri) }
        logger.info("request", metadata: metadata)
    }

    static func splitURI(_ uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
