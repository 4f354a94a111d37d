import RundleOS

/// A point in time after which a blocking socket call gives up, or none (wait forever).
/// `idle` deadlines restart on every successful read or write: use `restarted()`.
struct IODeadline: Sendable {
    /// The timeout this deadline was made from (for messages and restarts).
    let timeout: Duration?
    private let deadline: Deadline

    init(_ timeout: Duration?) {
        self.timeout = timeout
        deadline = Deadline(timeout)
    }

    static let never = IODeadline(nil)

    /// The same timeout, counted from now.
    func restarted() -> IODeadline { IODeadline(timeout) }

    /// The time left as a poll(2) timeout: -1 for none, else milliseconds rounded up.
    var pollTimeout: Int32 { deadline.pollTimeout }

    var hasPassed: Bool { deadline.hasPassed }

    /// "60 s", "1.5 s", for messages.
    var timeoutText: String {
        guard let timeout else { return "never" }
        let (seconds, attoseconds) = timeout.components
        let millis = attoseconds / 1_000_000_000_000_000
        return millis == 0 ? "\(seconds) s" : "\(Double(seconds) + Double(millis) / 1000) s"
    }
}
