import GardenProtocol
import RundleOS

extension GardenClient {
    /// Extracts a tar archive into `destination` in the container as `user` (empty: root;
    /// relative paths are relative to the user's home). A byte string is sent with a
    /// Content-Length, a descriptor or reader with chunked encoding.
    public func streamIn(_ handle: String, user: String = "", destination: String, tar: ByteSource) throws {
        let body: GardenHTTPBody
        if case .bytes(let bytes) = tar { body = .bytes(bytes) } else { body = .chunked(tar) }
        // Like Go, the success body is not decoded; it is read to the end so the request is complete.
        try connection.stream(.streamIn, params: ["handle": handle],
                              query: [("user", user), ("destination", destination)],
                              body: body, contentType: "application/x-tar") { _ in }
    }

    /// Streams a tar archive of `source` in the container (read as `user`) to `sink`.
    public func streamOut(_ handle: String, user: String = "", source: String,
                          into sink: ([UInt8]) throws -> Void) throws {
        try connection.stream(.streamOut, params: ["handle": handle],
                              query: [("user", user), ("source", source)], into: sink)
    }

    /// A tar archive of `source` in the container, collected in memory (at most `limit` bytes).
    public func streamOut(_ handle: String, user: String = "", source: String,
                          limit: Int = 1 << 30) throws -> [UInt8] {
        var tar: [UInt8] = []
        try streamOut(handle, user: user, source: source) { bytes in
            if tar.count + bytes.count > limit {
                throw GardenClientError(.badResponse, "stream out of \(source): more than \(limit) bytes")
            }
            tar.append(contentsOf: bytes)
        }
        return tar
    }

    /// Writes a tar archive of `source` in the container to `fd` (not closed). Writes happen on
    /// the calling thread: a pipe without reader raises SIGPIPE there unless it is ignored.
    public func streamOut(_ handle: String, user: String = "", source: String, toFileDescriptor fd: Int32) throws {
        try streamOut(handle, user: user, source: source) { bytes in
            try bytes.withUnsafeBytes { raw in
                Result { () throws(OSError) in try writeFully(fd, raw) }
            }.get()
        }
    }
}
