import Glibc
import NIOCore
import RundleOS

/// A stream-in body on its way to disk (the depot's filesystem, not /run's memory), so a slow
/// extraction never holds the connection's bytes in memory.
final class Spool: @unchecked Sendable {
    // Touched by one event loop while the body arrives, then by one worker: never at once.
    let path: String
    private var fd: Int32
    private(set) var written: UInt64 = 0

    init(directory: String) throws(OSError) {
        if !isDirectory(directory) { try makeDirectories(directory, mode: 0o700) }
        var rng = SystemRandomNumberGenerator()
        path = directory + "/stream-in-" + String(rng.next() as UInt64, radix: 16)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw OSError(errno: errno, call: "open", path: path) }
    }

    func append(_ bytes: ByteBufferView) throws(OSError) {
        let chunk = Array(bytes)
        let fd = self.fd
        try chunk.withUnsafeBytes { raw in Result { () throws(OSError) in try writeFully(fd, raw) } }.get()
        written += UInt64(bytes.count)
    }

    /// Closes the file for writing; the path can now be read.
    func finish() {
        if fd >= 0 { closeDescriptor(fd); fd = -1 }
    }

    func remove() {
        finish()
        _ = unlink(path)
    }
}
