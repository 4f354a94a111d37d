/// One HTTP header field as received or sent.
public struct GardenHTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The status line and headers of an HTTP/1.x response.
public struct GardenHTTPResponseHead: Sendable, Hashable {
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: [GardenHTTPHeader]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of header `name` (case-insensitive), in order.
    public func headers(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// "404 Not Found".
    public var statusText: String { reason.isEmpty ? String(status) : "\(status) \(reason)" }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200...299).contains(status) }
}

extension GardenHTTPResponseHead {
    /// Most header lines accepted in one head.
    static let maxHeaderCount = 256

    /// Reads a response head from `reader` (bytes after it stay buffered). Interim 1xx heads
    /// (other than 101) are skipped. Bounded by `maxBytes` and `maxHeaderCount`.
    static func read(from reader: inout ConnectionReader, maxBytes: Int,
                     deadline: IODeadline) throws(GardenClientError) -> GardenHTTPResponseHead {
        while true {
            let head = try readOne(from: &reader, maxBytes: maxBytes, deadline: deadline)
            if (100...199).contains(head.status) && head.status != 101 { continue }
            return head
        }
    }

    private static func readOne(from reader: inout ConnectionReader, maxBytes: Int,
                                deadline: IODeadline) throws(GardenClientError) -> GardenHTTPResponseHead {
        let peer = reader.socket.peer
        var lines: [[UInt8]] = []
        var total = 0
        while true {
            guard let line = try reader.readLine(maxBytes: maxBytes - total, deadline: deadline,
                                                 what: "the response head") else {
                throw GardenClientError(.connectionFailed, lines.isEmpty
                    ? "reading the response from \(peer): connection closed before a response (EOF)"
                    : "reading the response from \(peer): connection closed in the middle of the head")
            }
            total += line.count + 2
            if total > maxBytes {
                throw GardenClientError(.badResponse, "bad response from \(peer): head longer than \(maxBytes) bytes")
            }
            if line.isEmpty {
                if lines.isEmpty { continue }  // tolerate stray blank lines before the status line
                break
            }
            lines.append(line)
            if lines.count > maxHeaderCount + 1 {
                throw GardenClientError(.badResponse, "bad response from \(peer): more than \(maxHeaderCount) header lines")
            }
        }
        return try parse(lines, peer: peer)
    }

    /// Parses the lines of a head (status line first, no terminating blank line).
    static func parse(_ lines: [[UInt8]], peer: String) throws(GardenClientError) -> GardenHTTPResponseHead {
        func bad(_ why: String) -> GardenClientError {
            GardenClientError(.badResponse, "bad response from \(peer): \(why)")
        }
        guard let statusLine = lines.first else { throw bad("empty head") }
        let text = String(decoding: statusLine, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0",
              parts[1].count == 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let status = Int(parts[1]), status >= 100 else {
            throw bad("malformed status line \(quoted(text))")
        }
        var headers: [GardenHTTPHeader] = []
        for line in lines.dropFirst() {
            if line.first == 0x20 || line.first == 0x09 {
                throw bad("folded header line \(quoted(String(decoding: line, as: UTF8.self)))")
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > 0 else {
                throw bad("malformed header line \(quoted(String(decoding: line, as: UTF8.self)))")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            guard name.utf8.allSatisfy(isTokenByte) else { throw bad("malformed header name \(quoted(name))") }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            headers.append(GardenHTTPHeader(name, trimmed(value)))
        }
        return GardenHTTPResponseHead(version: String(parts[0]), status: status,
                                      reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }
}

/// RFC 7230 tchar.
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

/// `text` without leading and trailing spaces and tabs.
func trimmed(_ text: some StringProtocol) -> String {
    var scalars = Substring(text).unicodeScalars[...]
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
}

/// `text` in double quotes, shortened to 200 characters.
func quoted(_ text: String) -> String {
    let short = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
    return "\"\(short)\""
}
