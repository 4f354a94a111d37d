import GardenProtocol
import Synchronization

/// A process started by Run or joined by Attach (Go's `garden.Process`): its id, its exit
/// status, and the control connection for signals, resizes (and stdin, sent by the client).
public final class GardenProcess: Sendable {
    /// The process id from the server's first message.
    public let id: String
    /// The stream id the stdout/stderr connections were opened with.
    public let streamID: String

    private let control: GardenHijackedConnection
    private let outcome = ConditionLock<Result<Int32, GardenClientError>?>(nil)
    private let state = Mutex(State())

    private struct State {
        var streams: [GardenHijackedConnection] = []
        var abandoned = false
    }

    init(id: String, streamID: String, control: GardenHijackedConnection) {
        self.id = id
        self.streamID = streamID
        self.control = control
    }

    /// Blocks until the exit status has arrived and the stdout/stderr streams reached EOF, and
    /// returns the status (128+N after signal N). Throws when the server reported an error, the
    /// control connection ended without a status, a stream could not be attached, or the
    /// process was abandoned. May be called any number of times, from any thread.
    public func wait() throws(GardenClientError) -> Int32 {
        guard let result = outcome.wait({ $0 }) else {
            preconditionFailure("a wait without deadline returned nothing")
        }
        return try result.get()
    }

    /// `wait()` bounded by `timeout`; throws `timedOut` when it passes first (the process is
    /// still followed: call `wait` again or `abandon()`).
    public func wait(timeout: Duration) throws(GardenClientError) -> Int32 {
        guard let result = outcome.wait(deadline: IODeadline(timeout), { $0 }) else {
            throw GardenClientError(.timedOut, "process \(id): no exit status within \(IODeadline(timeout).timeoutText)")
        }
        return try result.get()
    }

    /// Whether `wait()` would return (or throw) at once.
    public var isFinished: Bool { outcome.read { $0 != nil } }

    /// Sends `signal` (TERM or KILL) to the process over the control connection.
    public func signal(_ signal: ProcessSignal) throws(GardenClientError) {
        try send(ProcessPayload(processID: id, signal: signal.rawValue))
    }

    /// Asks the server to resize the process's terminal.
    public func setTTY(_ tty: TTYSpec) throws(GardenClientError) {
        try send(ProcessPayload(processID: id, tty: tty))
    }

    /// Drops this client's connections (control, stdout, stderr) without signalling the
    /// process, as a client that goes away would: the process keeps running on the server and
    /// can be attached to again. A `wait()` still pending then throws `abandoned`.
    public func abandon() {
        let streams = state.withLock { state in
            state.abandoned = true
            return state.streams
        }
        control.shutdown()
        for stream in streams { stream.shutdown() }
    }

    // MARK: - For the streamer

    /// Sends one payload line on the control connection (writes are serialized).
    func send(_ payload: ProcessPayload) throws(GardenClientError) {
        try control.write(payload.line())
    }

    /// Remembers an output stream connection so `abandon()` and the end can close it.
    func track(_ stream: GardenHijackedConnection) {
        state.withLock { $0.streams.append(stream) }
    }

    /// Records the outcome (the first one wins; after `abandon()` a failure reads `abandoned`)
    /// and closes every connection.
    func finish(_ result: Result<Int32, GardenClientError>) {
        let (abandoned, streams) = state.withLock { ($0.abandoned, $0.streams) }
        var result = result
        if abandoned, case .failure = result {
            result = .failure(GardenClientError(.abandoned, "connection: process \(id) abandoned by this client"))
        }
        outcome.mutate { current in
            if current == nil { current = result }
        }
        control.shutdown()
        for stream in streams { stream.shutdown() }
    }

    /// The control connection (the stdin pump polls it for hang-up).
    var controlConnection: GardenHijackedConnection { control }
}
