/// A thread-safe FIFO of bytes that a `ByteSource.queue` reads from: write stdin for a running
/// process piece by piece, then `close()` it to send EOF.
public final class ByteQueue: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var closed = false
    }

    private let state = ConditionLock(State())

    public init() {}

    /// Queues `bytes` (ignored after `close()`).
    public func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.mutate { state in
            if !state.closed { state.chunks.append(bytes) }
        }
    }

    /// Queues the UTF-8 bytes of `text`.
    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Marks the end: once the queued bytes are read, the reader sees EOF.
    public func close() {
        state.mutate { $0.closed = true }
    }

    /// Blocks for the next chunk; empty once closed and drained.
    func next() -> [UInt8] {
        state.wait { state -> [UInt8]? in
            if !state.chunks.isEmpty { return state.chunks.removeFirst() }
            return state.closed ? [] : nil
        } ?? []
    }
}
