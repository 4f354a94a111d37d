import Glibc
import NIOCore
import RundleKeeper
import Synchronization

/// One output stream (stdout or stderr) of one Garden process session: the connection a client
/// opens with `GET …/attaches/<stream id>/stdout`, and what the keeper pump writes to it.
///
/// Output waits for that connection (the keeper keeps it meanwhile; nothing is buffered here).
/// A client that never opens it — the Go client opens stdout, then stderr, only for the writers
/// it was given — makes the stream "unwanted" after `connectPatience`, or at once for stdout when
/// stderr connects first; unwanted bytes are not acknowledged, so a later attach still gets them.
final class OutputOutlet: Sendable {
    enum State {
        case waiting
        case connected(Channel)
        /// The client's connection closed, or it never came: bytes are declined from now on.
        case gone
        /// The process ended; a late connection gets an empty stream.
        case finished
    }

    let stream: AttachStream
    private let state = Mutex<State>(.waiting)
    private let created = ContinuousClock.now
    /// Wakes the pump when a connection arrives.
    private let wake: @Sendable () -> Void

    static let connectPatience: Duration = .seconds(5)

    init(stream: AttachStream, wake: @escaping @Sendable () -> Void) {
        self.stream = stream
        self.wake = wake
    }

    /// A client opened this stream (on the connection's event loop).
    func connect(_ channel: Channel) {
        let accepted = state.withLock { state -> Bool in
            guard case .waiting = state else { return false }
            state = .connected(channel)
            return true
        }
        if accepted { wake() } else { channel.close(promise: nil) }
    }

    /// The client's connection closed.
    func disconnected(_ channel: Channel) {
        state.withLock { state in
            if case .connected(let current) = state, current === channel { state = .gone }
        }
    }

    /// Gives up waiting for a connection that will not come.
    func giveUp() {
        state.withLock { state in
            if case .waiting = state { state = .gone }
        }
    }

    var isWaiting: Bool { state.withLock { if case .waiting = $0 { true } else { false } } }

    /// Writes bytes to the client, blocking until the socket took them; false when there is no
    /// client to take them. Waits (polling `wakeFD`) while the connection has not come yet.
    /// `written` runs on the event loop right after the write to the socket, before this thread
    /// is woken: recording the delivery there leaves no gap a kill -9 could fall into worth the
    /// name (microseconds instead of a thread hand-off).
    func deliver(_ bytes: UnsafeRawBufferPointer, abandoned: () -> Bool, waitForWake: (Duration) -> Void,
                 written: @escaping @Sendable () -> Void) -> Bool {
        while true {
            let current = state.withLock { $0 }
            switch current {
            case .connected(let channel):
                let buffer = channel.allocator.buffer(bytes: bytes)
                do {
                    try channel.writeAndFlush(buffer).map { written() }.wait()
                    return true
                } catch {
                    disconnected(channel)
                    return false
                }
            case .gone, .finished:
                return false
            case .waiting:
                if abandoned() { return false }
                if ContinuousClock.now - created > Self.connectPatience {
                    giveUp()
                    continue
                }
                waitForWake(.milliseconds(50))
            }
        }
    }

    /// The process ended and everything it wrote was delivered: close the client's connection.
    func finish() {
        let channel = state.withLock { state -> Channel? in
            defer { state = .finished }
            if case .connected(let channel) = state { return channel }
            return nil
        }
        channel?.close(promise: nil)
    }
}
