import RundleOS

/// The process's stdin as the keeper feeds it: the write end of a pipe, or the pty master.
/// Bytes from clients queue here (bounded by `KeeperLimits.stdinQueue`) until the fd takes them.
struct StdinSink {
    var fd: Int32 = -1
    /// The fd is the pty master (owned elsewhere; EOF is VEOF, not a close).
    var isTerminal = false
    var queue: [UInt8] = []
    var head = 0
    /// A pipe's write end is closed once the queue is empty.
    var eofRequested = false
    /// The process's stdin is closed (EOF sent, or it stopped reading: EPIPE).
    var closed = false
    /// The last byte queued, to decide how many VEOFs end the current line.
    var lastByte: UInt8?

    var queuedCount: Int { queue.count - head }
    var isFull: Bool { queuedCount >= KeeperLimits.stdinQueue }
    var wantsWrite: Bool { fd >= 0 && !closed && queuedCount > 0 }

    mutating func enqueue(_ bytes: [UInt8]) {
        guard !closed, !eofRequested, !bytes.isEmpty else { return }
        if head > 0, head >= queue.count / 2 {
            queue.removeFirst(head)
            head = 0
        }
        queue.append(contentsOf: bytes)
        lastByte = bytes.last
    }

    /// `E`: a pipe is closed once drained; a pty gets its VEOF character, twice when a partial
    /// line is pending (the first only ends that line for a canonical-mode reader).
    mutating func requestEOF(eofCharacter: UInt8) {
        guard !closed, !eofRequested else { return }
        if isTerminal {
            let atLineStart = lastByte == nil || lastByte == UInt8(ascii: "\n") || lastByte == UInt8(ascii: "\r")
            enqueue(atLineStart ? [eofCharacter] : [eofCharacter, eofCharacter])
            lastByte = nil
        } else {
            eofRequested = true
        }
    }

    /// Writes what the fd takes now; marks stdin closed when the process no longer reads it.
    mutating func flush() {
        guard fd >= 0, !closed else { return }
        while queuedCount > 0 {
            let written: Int?
            do {
                written = try queue.withUnsafeBytes { raw in
                    Result { () throws(OSError) in
                        try writeAvailable(fd, UnsafeRawBufferPointer(rebasing: raw[head...]))
                    }
                }.get()
            } catch {
                // EPIPE (nobody reads the pipe any more) or EIO (the pty's slave is gone):
                // stdin is over; what is queued can never be delivered.
                markClosed()
                return
            }
            guard let written else { return }
            head += written
        }
        queue.removeAll(keepingCapacity: false)
        head = 0
        if eofRequested && !isTerminal { markClosed() }
    }

    mutating func markClosed() {
        closed = true
        queue.removeAll(keepingCapacity: false)
        head = 0
        if !isTerminal { closeDescriptor(fd) }
        fd = -1
    }
}
