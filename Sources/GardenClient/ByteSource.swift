import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bytes to send: a process's stdin, or a stream-in tar archive.
public enum ByteSource: Sendable {
    /// A fixed byte string.
    case bytes([UInt8])
    /// Everything readable from a descriptor until EOF. The client never closes it.
    case fileDescriptor(Int32)
    /// A closure called repeatedly for the next chunk; an empty chunk means EOF. For stdin it
    /// runs on a background thread, which stays blocked in it for as long as it blocks (a
    /// descriptor source, by contrast, is abandoned when the process stream ends).
    case reader(@Sendable () throws -> [UInt8])

    /// Bytes written into `queue`, until it is closed.
    public static func queue(_ queue: ByteQueue) -> ByteSource {
        .reader { queue.next() }
    }

    /// The UTF-8 bytes of `text`.
    public static func string(_ text: String) -> ByteSource { .bytes(Array(text.utf8)) }
}

/// Reads a `ByteSource` chunk by chunk.
struct ByteSourceReader: Sendable {
    private let source: ByteSource
    private var offset = 0
    private var finished = false

    init(_ source: ByteSource) { self.source = source }

    /// The next chunk of at most `maxBytes`, or nil at EOF. With `hangUp`, a descriptor source
    /// is polled together with that socket, and reading stops (`connectionFailed`) once the
    /// socket hangs up, so a stdin pump does not outlive its process stream.
    mutating func next(maxBytes: Int = 32 << 10, hangUp: Socket? = nil) throws -> [UInt8]? {
        if finished { return nil }
        switch source {
        case .bytes(let bytes):
            let end = min(bytes.count, offset + maxBytes)
            if offset == end { finished = true; return nil }
            defer { offset = end }
            return Array(bytes[offset..<end])
        case .reader(let read):
            let chunk: [UInt8]
            do {
                chunk = try read()
            } catch {
                throw GardenClientError(.sourceFailed, "reading the byte source: \(error)")
            }
            if chunk.isEmpty { finished = true; return nil }
            return chunk
        case .fileDescriptor(let fd):
            let chunk = try readDescriptor(fd, maxBytes: maxBytes, hangUp: hangUp)
            if chunk.isEmpty { finished = true; return nil }
            return chunk
        }
    }

    private func readDescriptor(_ fd: Int32, maxBytes: Int, hangUp: Socket?) throws -> [UInt8] {
        var entries = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if let hangUp { entries.append(pollfd(fd: hangUp.fd, events: 0, revents: 0)) }
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        while true {
            do {
                _ = try pollDescriptors(&entries, timeoutMilliseconds: -1)
            } catch {
                throw GardenClientError(.sourceFailed, "polling descriptor \(fd): \(error.message)")
            }
            if entries.count > 1, entries[1].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                throw GardenClientError(.connectionFailed, "the connection closed")
            }
            guard entries[0].revents != 0 else { continue }
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(OSError) in try readAvailable(fd, raw) }
            }
            switch result {
            case .success(let count?):
                return Array(buffer[0..<count])
            case .success(nil):
                continue
            case .failure(let error):
                throw GardenClientError(.sourceFailed, "reading descriptor \(fd): \(error.message)")
            }
        }
    }
}
