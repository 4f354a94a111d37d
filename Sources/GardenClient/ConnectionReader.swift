/// Buffered reading from one `Socket`: bytes read past what a caller asked for stay in the
/// buffer for the next call, so after a response head the hijacked stream's first bytes are not
/// lost. A value owned by one thread at a time (hand it over by moving it into a closure).
struct ConnectionReader: Sendable {
    let socket: Socket
    private var buffer: [UInt8] = []
    private var start = 0

    init(socket: Socket, leftover: [UInt8] = []) {
        self.socket = socket
        self.buffer = leftover
    }

    /// The buffered bytes not consumed yet.
    var buffered: ArraySlice<UInt8> { buffer[start...] }

    /// Drops `count` buffered bytes.
    mutating func consume(_ count: Int) {
        start += count
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
    }

    /// Takes up to `count` buffered bytes (all of them when nil).
    mutating func take(_ count: Int? = nil) -> [UInt8] {
        let n = min(count ?? Int.max, buffer.count - start)
        let bytes = Array(buffer[start..<(start + n)])
        consume(n)
        return bytes
    }

    /// Reads more from the socket into the buffer: false at EOF.
    mutating func fill(deadline: IODeadline) throws(GardenClientError) -> Bool {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        return try socket.read(appendingTo: &buffer, deadline: deadline) > 0
    }

    /// The buffered bytes, or (when none are buffered) one read's worth; empty at EOF.
    mutating func readSome(deadline: IODeadline) throws(GardenClientError) -> [UInt8] {
        if start == buffer.count {
            guard try fill(deadline: deadline) else { return [] }
        }
        return take()
    }

    /// Everything up to and including the next LF (the LF and a CR before it are stripped).
    /// Nil at EOF before any byte of a line. Throws past `maxBytes`.
    mutating func readLine(maxBytes: Int, deadline: IODeadline,
                           what: String) throws(GardenClientError) -> [UInt8]? {
        var scanned = start
        while true {
            if let lf = buffer[scanned...].firstIndex(of: 0x0A) {
                var line = Array(buffer[start..<lf])
                if line.last == 0x0D { line.removeLast() }
                consume(lf + 1 - start)
                return line
            }
            scanned = buffer.count
            if buffer.count - start > maxBytes {
                throw GardenClientError(.badResponse, "bad response from \(socket.peer): \(what) longer than \(maxBytes) bytes")
            }
            let before = start
            guard try fill(deadline: deadline) else {
                if buffer.count == start { return nil }
                throw GardenClientError(.connectionFailed, "reading from \(socket.peer): connection closed in the middle of \(what)")
            }
            scanned -= before - start  // fill may have moved the unread bytes to the front
        }
    }
}
