import Synchronization

/// A connection taken over after its response head (Run/Attach control stream, Stdout/Stderr
/// stream): raw bytes both ways, starting with whatever arrived together with the head.
/// One thread may read while others write; writes are serialized.
public final class GardenHijackedConnection: Sendable {
    /// The 2xx response head that preceded the stream.
    public let head: GardenHTTPResponseHead
    let socket: Socket
    private let reader: Mutex<ConnectionReader>
    private let writeLock = Mutex(())

    init(head: GardenHTTPResponseHead, reader: ConnectionReader) {
        self.head = head
        self.socket = reader.socket
        self.reader = Mutex(reader)
    }

    /// The next bytes of the stream (the ones buffered with the head first); empty at EOF.
    /// `timeout` bounds the wait (nil: wait until data, EOF, or `shutdown()`).
    public func read(timeout: Duration? = nil) throws(GardenClientError) -> [UInt8] {
        try reader.withLock { (reader) throws(GardenClientError) -> [UInt8] in
            try reader.readSome(deadline: IODeadline(timeout))
        }
    }

    /// Writes all of `bytes` (waiting as long as needed, or until `shutdown()`).
    public func write(_ bytes: [UInt8]) throws(GardenClientError) {
        try writeLock.withLock { (_) throws(GardenClientError) in
            try socket.write(bytes, deadline: .never)
        }
    }

    /// Closes both directions: the server sees the client go away; blocked reads here return
    /// EOF and writes fail. The descriptor itself is closed when the last reference goes.
    public func shutdown() { socket.shutdown() }

    /// Closes only the sending direction (the server reads EOF; reading still works).
    public func shutdownWrite() { socket.shutdownWrite() }
}
