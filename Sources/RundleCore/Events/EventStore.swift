import Glibc
import RundleJSON
import RundleOS

/// One thing that happened to a container, as `events.jsonl` keeps it.
public struct ContainerEvent: Sendable, Equatable {
    public static let oomType = "oom"
    /// Garden's string for an OOM (Diego looks for exactly this).
    public static let oomMessage = "Out of memory"

    /// Unix nanoseconds at which Rundle recorded the event (for an OOM: when it was noticed,
    /// at the latest the first Rundle command that looked at the container afterwards).
    public var timeNanos: Int64
    public var type: String
    public var message: String
    /// For `oom`: the kernel's cumulative oom_kill counter value this event accounts for.
    public var oomKillCount: UInt64?

    public init(timeNanos: Int64, type: String, message: String, oomKillCount: UInt64? = nil) {
        self.timeNanos = timeNanos
        self.type = type
        self.message = message
        self.oomKillCount = oomKillCount
    }

    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["time"] = JSON(timeNanos)
        o["type"] = JSON(type)
        o["message"] = JSON(message)
        if let oomKillCount { o["oomKillCount"] = JSON(oomKillCount) }
        return o
    }

    public init?(json: JSON) {
        guard let time = json["time"]?.int64Value, let type = json["type"]?.stringValue,
              let message = json["message"]?.stringValue else { return nil }
        self.init(timeNanos: time, type: type, message: message, oomKillCount: json["oomKillCount"]?.uint64Value)
    }
}

/// The append-only event log of one container: `<depot>/<handle>/events.jsonl`, one JSON object
/// per line, each append fsynced before anyone is told of the event. A line that does not parse
/// (a torn append after a crash) is skipped; the next append starts on a fresh line.
public struct EventStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public init(layout: DepotLayout) { self.path = layout.eventsJSONL }

    /// Every complete event, oldest first; none when the file does not exist.
    public func readAll() throws(OSError) -> [ContainerEvent] {
        try Self.parse(readRaw())
    }

    func readRaw() throws(OSError) -> [UInt8] {
        do { return try readFile(path, limit: 64 << 20) } catch where error.errno == ENOENT { return [] }
    }

    static func parse(_ bytes: [UInt8]) -> [ContainerEvent] {
        var events: [ContainerEvent] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let json = try? JSON.parse(Array(line)), let event = ContainerEvent(json: json) else { continue }
            events.append(event)
        }
        return events
    }

    /// Appends `events` in one write and fsyncs. `existing` is the file's current content (to
    /// know whether a torn last line must be closed first).
    func append(_ events: [ContainerEvent], after existing: [UInt8]) throws(OSError) {
        guard !events.isEmpty else { return }
        var bytes: [UInt8] = []
        if let last = existing.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        for event in events {
            bytes += event.json().serializedBytes()
            bytes.append(UInt8(ascii: "\n"))
        }
        try appendAndSync(path, bytes, mode: 0o600)
    }

    /// Appends `events` (each fsynced before returning).
    public func append(_ events: [ContainerEvent]) throws(OSError) {
        try append(events, after: readRaw())
    }
}

extension DepotLayout {
    /// The container's append-only event log.
    public var eventsJSONL: String { containerDir + "/events.jsonl" }
    /// flock'ed while events are reconciled, so two commands never record the same OOM twice.
    public var eventsLock: String { containerDir + "/events.lock" }
}
