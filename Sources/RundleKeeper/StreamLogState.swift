/// The bookkeeping of one stream's bounded log, without I/O (the keeper does the reads, writes
/// and hole punching this tells it to).
///
/// Offsets are absolute stream offsets: byte N of the stream is at offset N forever, and at file
/// offset N in its log. The log keeps [start, end). The rules:
///
/// - It keeps the newest bytes, at most `limit` of them (plus `overshootBudget`, see below).
/// - A byte leaves it only once some client acknowledged it: `acknowledged` is the end of the
///   prefix of the stream that clients have received (every byte before it was written out by
///   at least one client). Bytes before it are droppable; bytes from it on are not.
/// - When keeping another byte would need dropping an unacknowledged one, the keeper stops
///   reading the stream (`readAllowance == 0`): the process then blocks in write(2). Nothing
///   nobody has seen is ever dropped.
public struct StreamLogState: Sendable, Hashable {
    /// The most bytes kept (the keeper's `--log-limit`).
    public let limit: UInt64
    /// The first byte still kept.
    public private(set) var start: UInt64
    /// One past the last byte appended: the number of bytes the stream has produced so far.
    public private(set) var end: UInt64
    /// Every byte before this was received (and acknowledged) by some client. Never below `start`.
    public private(set) var acknowledged: UInt64
    /// Extra bytes that may be read past the bound without dropping anything. The keeper grants
    /// it once the process has exited, to drain what is left in the pipe (at most a pipe's
    /// capacity) rather than lose it; appends past the bound use it up.
    public private(set) var overshootBudget: UInt64 = 0

    public init(limit: UInt64, start: UInt64 = 0) {
        self.limit = limit
        self.start = start
        self.end = start
        self.acknowledged = start
    }

    /// How many bytes are kept now.
    public var keptCount: UInt64 { end - start }

    /// The oldest byte that must stay: nothing before it is unacknowledged.
    private var floor: UInt64 { max(start, min(acknowledged, end)) }

    /// The bytes that must stay (kept and not acknowledged).
    public var unacknowledgedCount: UInt64 { end - floor }

    /// How many bytes may be read from the process and appended now.
    public var readAllowance: UInt64 {
        let unseen = unacknowledgedCount
        let room = limit > unseen ? limit - unseen : 0
        return room + overshootBudget
    }

    /// Whether the keeper should read the stream now (false: take it out of the poll set).
    public var shouldRead: Bool { readAllowance > 0 }

    /// Records `count` appended bytes (at most `readAllowance`) and drops the oldest
    /// acknowledged bytes beyond the bound. Returns true when `start` moved.
    @discardableResult
    public mutating func append(_ count: UInt64) -> Bool {
        precondition(count <= readAllowance, "append beyond the read allowance would drop unacknowledged bytes")
        let unseen = unacknowledgedCount
        let room = limit > unseen ? limit - unseen : 0
        if count > room { overshootBudget -= count - room }
        end += count
        return dropExcess()
    }

    /// A client that started receiving at `receivedFrom` acknowledges every byte before
    /// `through`. Counts only when its reception joins the acknowledged prefix (it started at
    /// or before `acknowledged`): a live-only client acknowledging later bytes says nothing about
    /// earlier ones nobody saw. Returns true when `start` moved (it only moves when over the
    /// bound, which an acknowledgement can make possible).
    @discardableResult
    public mutating func acknowledge(through: UInt64, receivedFrom: UInt64) -> Bool {
        guard receivedFrom <= acknowledged else { return false }
        acknowledged = max(acknowledged, min(through, end))
        return dropExcess()
    }

    /// Allows reading `bytes` past the bound (see `overshootBudget`).
    public mutating func grantOvershoot(_ bytes: UInt64) {
        overshootBudget += bytes
    }

    /// Where a client's replay begins for a hello offset: 0 = the oldest kept byte,
    /// UInt64.max = live (the next byte), anything else clamped into [start, end].
    public func replayStart(requested: UInt64) -> UInt64 {
        switch requested {
        case AttachFrame.fromStart: return start
        case AttachFrame.liveOnly: return end
        default: return min(max(requested, start), end)
        }
    }

    /// The file range below `start` that whole blocks of `blockSize` cover: what can be freed
    /// on disk with a punched hole ([0, returned value)).
    public func reclaimableEnd(blockSize: UInt64) -> UInt64 {
        guard blockSize > 0 else { return 0 }
        return start / blockSize * blockSize
    }

    /// Keeps at most `limit` bytes, dropping only acknowledged ones.
    private mutating func dropExcess() -> Bool {
        guard end - start > limit else { return false }
        let newStart = min(end - limit, floor)
        guard newStart > start else { return false }
        start = newStart
        return true
    }
}
