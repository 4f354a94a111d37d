/// A point in time after which a wait gives up, or none (wait forever).
public struct Deadline: Sendable {
    private let end: ContinuousClock.Instant?

    public init(_ timeout: Duration?) {
        end = timeout.map { ContinuousClock.now.advanced(by: max($0, .zero)) }
    }

    public var hasPassed: Bool {
        guard let end else { return false }
        return ContinuousClock.now >= end
    }

    /// The time left as a poll(2) timeout: -1 for none, else milliseconds rounded up (so a
    /// sub-millisecond remainder does not turn into a busy loop of zero-timeout polls).
    public var pollTimeout: Int32 {
        guard let end else { return -1 }
        let left = end - ContinuousClock.now
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
