import Glibc
import RundleOS

/// The on-disk source of truth: one directory per container handle, written atomically,
/// with one lock file per handle so two commands on the same handle never interleave.
public struct Depot: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var locksDir: String { root + "/.locks" }

    public func containerDir(_ handle: String) -> String { root + "/" + handle }
    public func layout(_ handle: String) -> DepotLayout { DepotLayout(containerDir: containerDir(handle)) }
    func lockPath(_ handle: String) -> String { locksDir + "/" + handle }

    /// Creates the depot and its lock folder when they are missing.
    public func prepare() throws(RundleError) {
        guard !isDirectory(locksDir) else { return }
        do {
            try makeDirectories(root, mode: 0o711)
            try makeDirectories(locksDir, mode: 0o700)
        } catch {
            throw RundleError(.unavailable, "cannot create the depot at \(root)", cause: error)
        }
    }

    /// Takes the handle's lock; nil only when `blocking` is false and another command holds it.
    public func lock(_ handle: String, blocking: Bool = true) throws(RundleError) -> FileLock? {
        do {
            return try FileLock.acquire(lockPath(handle), blocking: blocking)
        } catch {
            if error.errno == ENOENT {
                try prepare()
                do { return try FileLock.acquire(lockPath(handle), blocking: blocking) } catch {
                    throw RundleError(.unavailable, "cannot lock container '\(handle)'", handle: handle, cause: error)
                }
            }
            throw RundleError(.unavailable, "cannot lock container '\(handle)'", handle: handle, cause: error)
        }
    }

    public func exists(_ handle: String) -> Bool { isDirectory(containerDir(handle)) }

    /// Every handle with a directory, committed or not, sorted.
    public func handles() -> [String] {
        guard let names = try? listDirectory(root) else { return [] }
        return names.filter { !$0.hasPrefix(".") && isDirectory(root + "/" + $0) }.sorted()
    }

    /// Lock files whose container directory is gone (left by a command killed at the wrong moment).
    public func orphanLocks() -> [String] {
        guard let names = try? listDirectory(locksDir) else { return [] }
        return names.filter { !$0.hasPrefix(".") && !exists($0) }.sorted()
    }

    public func readRecord(_ handle: String) throws(RundleError) -> ContainerRecord {
        let path = layout(handle).recordJSON
        let bytes: [UInt8]
        do {
            bytes = try readFile(path, limit: 4 << 20)
        } catch {
            if error.errno == ENOENT {
                throw RundleError(.notFound, "container '\(handle)' has no record (half-created?)", handle: handle)
            }
            throw RundleError(.internal, "cannot read \(path)", handle: handle, cause: error)
        }
        do {
            return try ContainerRecord(bytes: bytes)
        } catch {
            throw RundleError(.internal, "corrupt record \(path): \(error.message)", handle: handle)
        }
    }

    /// Writes the record atomically; `durable` adds the fsyncs that make it survive a power cut,
    /// used for the commit of a create and for every state change.
    public func writeRecord(_ record: ContainerRecord, durable: Bool = true) throws(RundleError) {
        let path = layout(record.handle).recordJSON
        do {
            if durable {
                try writeFileAtomically(path, record.jsonBytes(), mode: 0o600)
            } else {
                try replaceFile(path, record.jsonBytes(), mode: 0o600)
            }
        } catch {
            throw RundleError(.internal, "cannot write \(path)", handle: record.handle, cause: error)
        }
    }
}
