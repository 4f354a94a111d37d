/// A point in time after which a blocking socket call gives up, or none (wait forever).
/// `idle` deadlines restart on every successful read or write: use `restarted()`.
struct IODeadline: Sendable {
    /// The timeout this deadline was made from (for messages and restarts).
    let timeout: Duration?
    private let end: ContinuousClock.Instant?

    init(_ timeout: Duration?) {
        self.timeout = timeout
        end = timeout.map { ContinuousClock.now.advanced(by: max($0, .zero)) }
    }

    static let never = IODeadline(nil)

    /// The same timeout, counted from now.
    func restarted() -> IODeadline { IODeadline(timeout) }

    /// The time left as a poll(2) timeout: -1 for none, else milliseconds rounded up.
    var pollTimeout: Int32 {
        guard let end else { return -1 }
        let left = end - ContinuousClock.now
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    var hasPassed: Bool {
        guard let end else { return false }
        return ContinuousClock.now >= end
    }

    /// "60 s", "1.5 s", for messages.
    var timeoutText: String {
        guard let timeout else { return "never" }
        let (seconds, attoseconds) = timeout.components
        let millis = attoseconds / 1_000_000_000_000_000
        return millis == 0 ? "\(seconds) s" : "\(Double(seconds) + Double(millis) / 1000) s"
    }
}
