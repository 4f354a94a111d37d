/// How a response body is delimited (RFC 7230 §3.3.3).
enum HTTPBodyFraming: Sendable, Equatable {
    case empty
    case length(Int)
    case chunked
    case untilClose
}

extension GardenHTTPResponseHead {
    /// The framing of this response's body.
    func bodyFraming(requestMethod: String) throws(GardenClientError) -> HTTPBodyFraming {
        if requestMethod == "HEAD" || (100...199).contains(status) || status == 204 || status == 304 {
            return .empty
        }
        let codings = headers("Transfer-Encoding")
            .flatMap { $0.split(separator: ",") }
            .map { trimmed($0).lowercased() }
            .filter { !$0.isEmpty }
        if !codings.isEmpty {
            return codings.last == "chunked" ? .chunked : .untilClose
        }
        let lengths = Set(headers("Content-Length").flatMap { $0.split(separator: ",") }.map { trimmed($0) })
        guard let text = lengths.first else { return .untilClose }
        guard lengths.count == 1, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(text) else {
            throw GardenClientError(.badResponse, "bad response: invalid Content-Length \(quoted(headers("Content-Length").joined(separator: ", ")))")
        }
        return .length(length)
    }
}

/// Reads a response body according to its framing, de-chunking, and hands it to a sink.
enum HTTPBodyReader {
    /// Longest chunk-size or trailer line accepted.
    static let maxLineBytes = 4096

    /// Delivers the body in pieces to `sink`. `idleTimeout` bounds each wait for more bytes.
    static func read(_ framing: HTTPBodyFraming, from reader: inout ConnectionReader,
                     idleTimeout: Duration?, sink: ([UInt8]) throws -> Void) throws {
        switch framing {
        case .empty:
            return
        case .length(let length):
            try readExactly(length, from: &reader, idleTimeout: idleTimeout, sink: sink)
        case .untilClose:
            while true {
                let bytes = try reader.readSome(deadline: IODeadline(idleTimeout))
                if bytes.isEmpty { return }
                try sink(bytes)
            }
        case .chunked:
            try readChunked(from: &reader, idleTimeout: idleTimeout, sink: sink)
        }
    }

    /// The whole body, failing past `limit` bytes.
    static func collect(_ framing: HTTPBodyFraming, from reader: inout ConnectionReader,
                        idleTimeout: Duration?, limit: Int) throws -> [UInt8] {
        if case .length(let length) = framing, length > limit {
            throw GardenClientError(.badResponse, "bad response from \(reader.socket.peer): body of \(length) bytes is larger than the limit of \(limit)")
        }
        var body: [UInt8] = []
        try read(framing, from: &reader, idleTimeout: idleTimeout) { bytes in
            if body.count + bytes.count > limit {
                throw GardenClientError(.badResponse, "bad response: body larger than the limit of \(limit) bytes")
            }
            body.append(contentsOf: bytes)
        }
        return body
    }

    private static func readExactly(_ count: Int, from reader: inout ConnectionReader,
                                    idleTimeout: Duration?, sink: ([UInt8]) throws -> Void) throws {
        var left = count
        while left > 0 {
            if reader.buffered.isEmpty {
                guard try reader.fill(deadline: IODeadline(idleTimeout)) else {
                    throw GardenClientError(.connectionFailed, "reading the response body from \(reader.socket.peer): unexpected EOF (\(left) of \(count) bytes missing)")
                }
            }
            let bytes = reader.take(left)
            left -= bytes.count
            try sink(bytes)
        }
    }

    private static func readChunked(from reader: inout ConnectionReader, idleTimeout: Duration?,
                                    sink: ([UInt8]) throws -> Void) throws {
        let peer = reader.socket.peer
        func unexpectedEOF() -> GardenClientError {
            GardenClientError(.connectionFailed, "reading the response body from \(peer): unexpected EOF in chunked encoding")
        }
        while true {
            guard let line = try reader.readLine(maxBytes: maxLineBytes, deadline: IODeadline(idleTimeout),
                                                 what: "a chunk size line") else { throw unexpectedEOF() }
            let sizeText = trimmed(String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self))
            guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16), size >= 0,
                  sizeText.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
                throw GardenClientError(.badResponse, "bad response from \(peer): malformed chunk size \(quoted(sizeText))")
            }
            if size == 0 {
                // Trailer fields until the blank line; a server that closes right after the
                // last chunk is accepted.
                while let trailer = try reader.readLine(maxBytes: maxLineBytes, deadline: IODeadline(idleTimeout),
                                                        what: "a trailer line"), !trailer.isEmpty {}
                return
            }
            try readExactly(size, from: &reader, idleTimeout: idleTimeout, sink: sink)
            guard let end = try reader.readLine(maxBytes: 2, deadline: IODeadline(idleTimeout),
                                                what: "a chunk terminator") else { throw unexpectedEOF() }
            guard end.isEmpty else {
                throw GardenClientError(.badResponse, "bad response from \(peer): chunk data longer than its size")
            }
        }
    }
}
