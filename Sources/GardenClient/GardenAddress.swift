/// Where a Garden server listens: a unix socket path or a TCP host and port.
public enum GardenAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(String)
    case tcp(host: String, port: UInt16)

    /// Parses `unix:///path`, `tcp://host:port` (`tcp://[::1]:7777` for IPv6), `host:port`, or a
    /// plain path (anything starting with `/` or `.`, or without a `:port` suffix).
    public init(parsing text: String) throws(GardenClientError) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard !path.isEmpty else { throw Self.invalid(text, "empty socket path") }
            self = .unix(path)
            return
        }
        if text.hasPrefix("tcp://") {
            var rest = Substring(text.dropFirst("tcp://".count))
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard let (host, port) = Self.hostAndPort(rest) else {
                throw Self.invalid(text, "expected tcp://host:port")
            }
            self = .tcp(host: host, port: port)
            return
        }
        guard !text.isEmpty else { throw Self.invalid(text, "empty address") }
        if text.hasPrefix("/") || text.hasPrefix(".") {
            self = .unix(text)
        } else if let (host, port) = Self.hostAndPort(Substring(text)) {
            self = .tcp(host: host, port: port)
        } else {
            self = .unix(text)
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): return "unix://\(path)"
        case .tcp(let host, let port):
            return host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }

    /// "host:port" or "[v6]:port" with a non-empty host and a decimal port 1...65535.
    private static func hostAndPort(_ text: Substring) -> (String, UInt16)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = text[..<colon]
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = UInt16(portText), port > 0 else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            return nil
        }
        guard !host.isEmpty, !host.contains("/") else { return nil }
        return (String(host), port)
    }

    private static func invalid(_ text: String, _ why: String) -> GardenClientError {
        GardenClientError(.invalidAddress, "invalid Garden address \"\(text)\": \(why)")
    }
}
