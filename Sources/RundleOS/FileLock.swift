#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive flock(2) on a lock file, held for the life of the value.
///
/// Acquiring re-checks after flock that the locked fd is still the file at `path` (same device
/// and inode): a holder may unlink the file while holding it (`unlinkAndRelease`), and a waiter
/// that then got the lock on the unlinked inode would be locking nothing — it reopens and
/// retries instead. flock locks belong to the open file description, so they are shared by
/// nothing else: the fd is O_CLOEXEC and never handed to children (spawnProcess closes it
/// anyway).
public struct FileLock: ~Copyable, Sendable {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lock, creating the file (0600) if needed. With `blocking`, waits for it;
    /// otherwise returns nil when another open file description holds it.
    public static func acquire(_ path: String, blocking: Bool) throws(OSError) -> FileLock? {
        while true {
            let fd = try sys("open", path: path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
            do {
                try sys("flock", path: path) { flock(fd, LOCK_EX | (blocking ? 0 : LOCK_NB)) }
            } catch where error.errno == EWOULDBLOCK {
                closeDescriptor(fd)
                return nil
            } catch {
                closeDescriptor(fd)
                throw error
            }
            if try stillAtPath(fd, path) { return FileLock(path: path, fd: fd) }
            closeDescriptor(fd)   // unlinked or replaced while we waited: lock the new file
        }
    }

    /// Whether `fd` is the file now at `path`.
    private static func stillAtPath(_ fd: Int32, _ path: String) throws(OSError) -> Bool {
        var held = stat()
        var current = stat()
        do {
            try sys("fstat", path: path) { fstat(fd, &held) }
            try sys("stat", path: path) { stat(path, &current) }
        } catch where error.errno == ENOENT {
            return false
        } catch {
            closeDescriptor(fd)
            throw error
        }
        return held.st_dev == current.st_dev && held.st_ino == current.st_ino
    }

    /// Unlinks the lock file while still holding the lock, then releases it: waiters notice
    /// the unlink and start over on a fresh file.
    public consuming func unlinkAndRelease() {
        _ = unlink(path)
        closeDescriptor(fd)
        fd = -1
    }

    deinit {
        closeDescriptor(fd)
    }
}
