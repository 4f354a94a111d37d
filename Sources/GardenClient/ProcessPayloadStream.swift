import GardenProtocol

/// The server's payload messages on a process control connection, one at a time.
struct ProcessPayloadStream: Sendable {
    let connection: GardenHijackedConnection
    private var decoder = ProcessPayloadDecoder()
    private var pending: [ProcessPayload] = []

    init(connection: GardenHijackedConnection) {
        self.connection = connection
    }

    /// The next payload; nil at a clean EOF. Throws on malformed input, an EOF in the middle
    /// of a message, a read failure, or when `timeout` passes.
    mutating func next(timeout: Duration? = nil) throws(GardenClientError) -> ProcessPayload? {
        while pending.isEmpty {
            let bytes = try connection.read(timeout: timeout)
            if bytes.isEmpty {
                if decoder.bufferedByteCount > 0 {
                    throw GardenClientError(.processFailed, "connection: decode failed: unexpected EOF")
                }
                return nil
            }
            do {
                pending = try decoder.feed(bytes)
            } catch {
                throw GardenClientError(.processFailed, "connection: decode failed: \(error)")
            }
        }
        return pending.removeFirst()
    }
}
