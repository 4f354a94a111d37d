/// A place `rundle serve` listens: `unix:///path` or `tcp://host:port` (loopback when no host).
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses `unix:///run/x.sock`, `/run/x.sock`, `tcp://127.0.0.1:7777`, `tcp://:7777`.
    public init(parsing text: String) throws(ServerSetupError) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else { throw ServerSetupError("unix listen address '\(text)' needs an absolute path") }
            self = .unix(path: path)
        } else if text.hasPrefix("/") {
            self = .unix(path: text)
        } else if text.hasPrefix("tcp://") {
            let rest = String(text.dropFirst("tcp://".count))
            var host: String
            var portText: Substring
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                portText = rest[rest.index(after: close)...].drop { $0 == ":" }
            } else if let colon = rest.lastIndex(of: ":") {
                host = String(rest[..<colon])
                portText = rest[rest.index(after: colon)...]
            } else {
                throw ServerSetupError("tcp listen address '\(text)' needs a port (tcp://127.0.0.1:7777)")
            }
            if host.isEmpty { host = "127.0.0.1" }
            guard let port = Int(portText), (0...65535).contains(port) else {
                throw ServerSetupError("tcp listen address '\(text)': '\(portText)' is not a port")
            }
            self = .tcp(host: host, port: port)
        } else {
            throw ServerSetupError("listen address '\(text)' must start with unix:// or tcp://")
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }
}

/// The server could not start (bad flags, a socket it cannot bind).
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
