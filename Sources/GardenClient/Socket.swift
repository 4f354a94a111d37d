import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One connected, non-blocking stream socket to a Garden server; the descriptor is closed when
/// the last reference goes away. Reads and writes block in poll(2) up to a deadline. Any thread
/// may call `shutdown()` to wake the others: they then see EOF or EPIPE, never a reused fd.
final class Socket: Sendable {
    let fd: Int32
    /// The server address, for messages.
    let peer: String

    init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { closeDescriptor(fd) }

    /// Reads at most `maxBytes` and appends them to `buffer`: the count, 0 at EOF.
    func read(appendingTo buffer: inout [UInt8], maxBytes: Int = 64 << 10,
              deadline: IODeadline) throws(GardenClientError) -> Int {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: maxBytes, alignment: 1)
        defer { scratch.deallocate() }
        while true {
            try waitFor(Int16(POLLIN), deadline: deadline, doing: "reading from")
            let count: Int?
            do {
                count = try readAvailable(fd, scratch)
            } catch {
                throw GardenClientError(.connectionFailed, "reading from \(peer): \(error.message)")
            }
            guard let count else { continue }  // spurious wake-up
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            return count
        }
    }

    /// Writes all of `bytes`, waiting for room up to `deadline` (restarted after progress).
    func write(_ bytes: some Collection<UInt8>, deadline: IODeadline) throws(GardenClientError) {
        let array = Array(bytes)
        var offset = 0
        var deadline = deadline
        while offset < array.count {
            let result = array.withUnsafeBytes { raw in
                Result { () throws(OSError) in
                    try sendAvailable(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
                }
            }
            switch result {
            case .success(let count?):
                offset += count
                deadline = deadline.restarted()
            case .success(nil):
                try waitFor(Int16(POLLOUT), deadline: deadline, doing: "writing to")
            case .failure(let error):
                throw GardenClientError(.connectionFailed, "writing to \(peer): \(error.message)")
            }
        }
    }

    /// Shuts both directions down: the peer sees EOF, blocked readers here wake up with EOF and
    /// writers with EPIPE. Safe from any thread, any number of times.
    func shutdown() {
        socketShutdown(fd, Int32(SHUT_RDWR))
    }

    /// Ends our sending side only (the peer reads EOF; we can still read its answer).
    func shutdownWrite() {
        socketShutdown(fd, Int32(SHUT_WR))
    }

    /// Polls until `events` (or an error/hang-up condition, which the following call reports).
    private func waitFor(_ events: Int16, deadline: IODeadline, doing: String) throws(GardenClientError) {
        var entries = [pollfd(fd: fd, events: events, revents: 0)]
        while true {
            let ready: Int
            do {
                ready = try pollDescriptors(&entries, timeoutMilliseconds: deadline.pollTimeout)
            } catch {
                throw GardenClientError(.connectionFailed, "\(doing) \(peer): \(error.message)")
            }
            if ready > 0 { return }
            if deadline.timeout != nil {
                throw GardenClientError(.timedOut, "timed out after \(deadline.timeoutText) \(doing) \(peer)")
            }
        }
    }
}

/// shutdown(2), errors ignored (ENOTCONN when the peer already went away is fine).
private func socketShutdown(_ fd: Int32, _ how: Int32) {
    _ = shutdown(fd, how)
}
