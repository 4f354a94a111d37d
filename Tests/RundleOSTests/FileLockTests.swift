import Glibc
import Synchronization
import Testing
@testable import RundleOS

@Suite struct FileLockTests {
    /// `flock -n <path> true` in another process: 0 when it got the lock, 1 when held.
    func otherProcessCanLock(_ path: String) throws -> Bool {
        let flock = try #require(resolveExecutable("flock"))
        let result = try runCommand(SpawnOptions(executable: flock, arguments: ["-n", path, "true"]),
                                    captureStdout: false, timeout: .seconds(10))
        return result.status == .exited(0)
    }

    /// Whether a non-blocking acquire in this process fails (the lock is held elsewhere). A
    /// lock it does get is released at once.
    func heldElsewhere(_ path: String) throws -> Bool {
        let lock = try FileLock.acquire(path, blocking: false)
        if case .none = consume lock { return true }
        return false
    }

    func mustAcquire(_ path: String) throws -> FileLock {
        guard let lock = try FileLock.acquire(path, blocking: false) else {
            throw TestFailure("lock \(path) is held")
        }
        return lock
    }

    @Test func exclusiveWhileHeldAndFreeAfterRelease() throws {
        let dir = try makeTemporaryDirectory("lock")
        defer { cleanUp(dir) }
        let path = "\(dir)/lock"
        do {
            let lock = try mustAcquire(path)
            #expect(lock.path == path)
            #expect(try heldElsewhere(path))   // same process, another open file description
            #expect(try !otherProcessCanLock(path))
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        }   // deinit releases
        #expect(try otherProcessCanLock(path))
        #expect(try !heldElsewhere(path))
    }

    @Test func unlinkAndReleaseRemovesTheFile() throws {
        let dir = try makeTemporaryDirectory("lock")
        defer { cleanUp(dir) }
        let path = "\(dir)/lock"
        let lock = try mustAcquire(path)
        #expect(fileExists(path))
        lock.unlinkAndRelease()
        #expect(!fileExists(path))
        _ = try mustAcquire(path)
    }

    @Test func blockedWaiterRetriesWhenTheHolderUnlinks() throws {
        let dir = try makeTemporaryDirectory("lock")
        defer { cleanUp(dir) }
        let path = "\(dir)/lock"
        let holder = try mustAcquire(path)

        let state = Mutex<(waiting: Bool, acquired: Bool, error: String?)>((false, false, nil))
        let release = Mutex(false)
        let join = try startThread {
            state.withLock { $0.waiting = true }
            do {
                if let held = try FileLock.acquire(path, blocking: true) {
                    state.withLock { $0.acquired = true }
                    // Hold it until the test has checked from another process.
                    while !release.withLock({ $0 }) { _ = poll(nil, 0, 2) }
                    _ = consume held
                }
            } catch {
                state.withLock { $0.error = "\(error)" }
            }
        }
        #expect(eventually { state.withLock { $0.waiting } })
        #expect(!state.withLock { $0.acquired })   // blocked behind the holder
        holder.unlinkAndRelease()
        #expect(eventually { state.withLock { $0.acquired } })
        // The waiter's lock is on the file now at `path`, not on the unlinked inode.
        #expect(fileExists(path))
        #expect(try !otherProcessCanLock(path))
        release.withLock { $0 = true }
        join()
        #expect(state.withLock { $0.error } == nil)
    }
}
