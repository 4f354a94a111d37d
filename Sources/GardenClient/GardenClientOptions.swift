/// Timeouts and size limits of a Garden client.
public struct GardenClientOptions: Sendable, Hashable {
    /// How long a TCP connect may take (name lookup excluded; a unix socket connects at once or
    /// fails, unless its listen backlog is full).
    public var connectTimeout: Duration
    /// How long the server may take to send a response head, and the longest pause between
    /// two reads or writes of an ordinary request or response body. `nil` waits forever.
    /// Hijacked process streams (after their head) never time out.
    public var responseTimeout: Duration?
    /// The largest response body decoded as JSON (or an error body) before giving up.
    public var maxResponseBytes: Int
    /// The largest response head (status line and headers).
    public var maxHeadBytes: Int
    /// Sent as `User-Agent`.
    public var userAgent: String

    public init(connectTimeout: Duration = .seconds(60), responseTimeout: Duration? = .seconds(60),
                maxResponseBytes: Int = 64 << 20, maxHeadBytes: Int = 64 << 10,
                userAgent: String = "rundle-garden-client/1") {
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxHeadBytes = maxHeadBytes
        self.userAgent = userAgent
    }
}
