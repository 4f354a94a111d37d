import Glibc
import Synchronization
import Testing
import RundleOS
@testable import RundleCore

@Suite struct DepotTests {
    static func record(_ handle: String, status: ContainerRecord.Status = .created) -> ContainerRecord {
        ContainerRecord(handle: handle, status: status, spec: ContainerSpec(handle: handle, rootfs: "/srv/rootfs"),
                        runtime: "runc", runtimeRoot: "/run/rundle/runc", createdAtNanos: 42, initPid: 7)
    }

    /// Runs `body` with a prepared depot in a fresh directory, removed afterwards.
    func withDepot(_ body: (Depot) throws -> Void) throws {
        let dir = try makeTemporaryDirectory("depot")
        defer { removeTemporaryDirectory(dir) }
        let depot = Depot(root: dir + "/depot")
        try depot.prepare()
        try body(depot)
    }

    struct LockHeld: Error {}

    /// The handle's lock, taken without waiting; throws when someone holds it.
    func mustLock(_ depot: Depot, _ handle: String) throws -> FileLock {
        guard let lock = try depot.lock(handle, blocking: false) else { throw LockHeld() }
        return lock
    }

    func isHeld(_ depot: Depot, _ handle: String) throws -> Bool {
        let lock = try depot.lock(handle, blocking: false)
        if case .none = consume lock { return true }
        return false
    }

    @Test func prepareCreatesTheDepotAndItsLockFolder() throws {
        let dir = try makeTemporaryDirectory("depot")
        defer { removeTemporaryDirectory(dir) }
        let depot = Depot(root: dir + "/a/b/depot")
        #expect(!isDirectory(depot.root))
        try depot.prepare()
        #expect(isDirectory(depot.root))
        #expect(depot.locksDir == depot.root + "/.locks")
        #expect(isDirectory(depot.locksDir))
        #expect(permissions(depot.locksDir) == 0o700)
        // Again: nothing to do, nothing fails.
        try depot.prepare()
        #expect(depot.handles() == [])
    }

    @Test func prepareFailsClearlyWhenTheRootCannotBeMade() throws {
        let dir = try makeTemporaryDirectory("depot")
        defer { removeTemporaryDirectory(dir) }
        try writeFile(dir + "/file", [])
        let depot = Depot(root: dir + "/file/depot")
        do {
            try depot.prepare()
            Issue.record("prepared a depot under a regular file")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains(depot.root))
        }
    }

    @Test func layoutNames() {
        let depot = Depot(root: "/var/lib/rundle")
        #expect(depot.containerDir("h1") == "/var/lib/rundle/h1")
        let layout = depot.layout("h1")
        #expect(layout.recordJSON == "/var/lib/rundle/h1/container.json")
        #expect(layout.configJSON == "/var/lib/rundle/h1/config.json")
        #expect(depot.lockPath("h1") == "/var/lib/rundle/.locks/h1")
    }

    @Test func handlesSkipsDotEntriesAndFilesAndSorts() throws {
        try withDepot { depot in
            for name in ["zeta", "alpha", "Mid", "b-2", ".hidden", ".tmp-create"] {
                try makeDirectory(depot.root + "/" + name)
            }
            try writeFile(depot.root + "/stray-file", Array("x".utf8))
            try writeFile(depot.root + "/.dotfile", [])
            #expect(depot.handles() == ["Mid", "alpha", "b-2", "zeta"])
            #expect(depot.exists("alpha"))
            #expect(!depot.exists("stray-file"))
            #expect(!depot.exists("missing"))
        }
    }

    @Test func handlesOfAMissingDepotIsEmpty() {
        #expect(Depot(root: "/nonexistent/rundle-depot-test").handles() == [])
        #expect(Depot(root: "/nonexistent/rundle-depot-test").orphanLocks() == [])
    }

    @Test func writeThenReadRecord() throws {
        try withDepot { depot in
            try makeDirectory(depot.containerDir("h1"))
            for durable in [true, false] {
                var record = Self.record("h1", status: durable ? .created : .creating)
                record.mounts = [durable ? "/durable" : "/not-durable"]
                try depot.writeRecord(record, durable: durable)
                let read = try depot.readRecord("h1")
                #expect(read.status == record.status)
                #expect(read.mounts == record.mounts)
                #expect(read.initPid == 7)
                #expect(read.spec == record.spec)
                #expect(permissions(depot.layout("h1").recordJSON) == 0o600)
                // The temp file was renamed, not left beside the record.
                #expect(try listDirectory(depot.containerDir("h1")) == ["container.json"])
            }
        }
    }

    @Test func writeRecordWithoutItsDirectoryFails() throws {
        try withDepot { depot in
            for durable in [true, false] {
                do {
                    try depot.writeRecord(Self.record("gone"), durable: durable)
                    Issue.record("wrote a record without a container directory")
                } catch let error as RundleError {
                    #expect(error.code == .internal)
                    #expect(error.handle == "gone")
                }
            }
            #expect(!depot.exists("gone"))
        }
    }

    @Test func readRecordNotFound() throws {
        try withDepot { depot in
            for handle in ["never-created", "half-created"] {
                if handle == "half-created" { try makeDirectory(depot.containerDir(handle)) }
                do {
                    _ = try depot.readRecord(handle)
                    Issue.record("read a record of \(handle)")
                } catch let error as RundleError {
                    #expect(error.code == .notFound)
                    #expect(error.handle == handle)
                }
            }
        }
    }

    @Test(arguments: ["", "{", "{\"handle\": \"h1\"}", "[1, 2]", "\u{0}\u{1}garbage"])
    func readRecordCorrupt(_ content: String) throws {
        try withDepot { depot in
            try makeDirectory(depot.containerDir("h1"))
            try writeFile(depot.layout("h1").recordJSON, Array(content.utf8))
            do {
                _ = try depot.readRecord("h1")
                Issue.record("read a corrupt record")
            } catch let error as RundleError {
                #expect(error.code == .internal)
                #expect(error.message.contains("corrupt record"), "\(error.message)")
                #expect(error.handle == "h1")
            }
        }
    }

    @Test func readRecordUnreadable() throws {
        try withDepot { depot in
            try makeDirectories(depot.layout("h1").recordJSON)   // a directory where the file should be
            do {
                _ = try depot.readRecord("h1")
                Issue.record("read a directory as a record")
            } catch let error as RundleError {
                #expect(error.code == .internal)
                #expect(error.message.contains("cannot read"))
            }
        }
    }

    @Test func nonBlockingLockFailsWhileHeld() throws {
        try withDepot { depot in
            do {
                let held = try mustLock(depot, "h1")
                #expect(held.path == depot.locksDir + "/h1")
                // flock locks belong to the open file description: a second open conflicts, even here.
                #expect(try isHeld(depot, "h1"))
                // Other handles are independent.
                #expect(try !isHeld(depot, "h2"))
                _ = consume held
            }
            #expect(try !isHeld(depot, "h1"))
        }
    }

    @Test func lockPreparesAMissingDepot() throws {
        let dir = try makeTemporaryDirectory("depot")
        defer { removeTemporaryDirectory(dir) }
        let depot = Depot(root: dir + "/new")
        _ = try mustLock(depot, "h1")
        #expect(isDirectory(depot.locksDir))
        #expect(fileExists(depot.locksDir + "/h1"))
    }

    @Test func lockFailsClearlyWhenTheDepotCannotBeMade() throws {
        let dir = try makeTemporaryDirectory("depot")
        defer { removeTemporaryDirectory(dir) }
        try writeFile(dir + "/file", [])
        let depot = Depot(root: dir + "/file")
        do {
            _ = try depot.lock("h1")
            Issue.record("locked in a depot that is a file")
        } catch {
            #expect(error.code == .unavailable)
        }
    }

    @Test func blockingLockWaitsForTheHolder() throws {
        try withDepot { depot in
            let holder = try mustLock(depot, "h1")
            let lockFile = depot.locksDir + "/h1"
            var info = stat()
            try #require(stat(lockFile, &info) == 0)
            let inode = UInt64(info.st_ino)

            let state = Mutex<(acquired: Bool, error: String?)>((false, nil))
            let join = try startThread {
                do {
                    let lock = try depot.lock("h1", blocking: true)
                    let acquired: Bool
                    if case .some = consume lock { acquired = true } else { acquired = false }
                    state.withLock { $0.acquired = acquired }
                } catch {
                    state.withLock { $0.error = "\(error)" }
                }
            }
            // The kernel lists a blocked flock waiter as "-> FLOCK … <dev>:<inode> …" in /proc/locks.
            #expect(eventually { Self.blockedWaiters(inode: inode) > 0 })
            #expect(!state.withLock { $0.acquired })
            _ = consume holder
            #expect(eventually { state.withLock { $0.acquired } })
            join()
            #expect(state.withLock { $0.error } == nil)
        }
    }

    /// The number of blocked flock waiters on the file with this inode.
    static func blockedWaiters(inode: UInt64) -> Int {
        guard let bytes = try? readFile("/proc/locks") else { return 0 }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            guard fields.count > 2, fields[1] == "->", fields[2] == "FLOCK" else { return false }
            return fields.contains { field in
                let parts = field.split(separator: ":")
                return parts.count == 3 && UInt64(parts[2]) == inode
            }
        }.count
    }

    @Test func orphanLocks() throws {
        try withDepot { depot in
            for handle in ["kept", "orphan-b", "orphan-a"] {
                _ = try depot.lock(handle)   // released at once; the file stays
            }
            try makeDirectory(depot.containerDir("kept"))
            try writeFile(depot.locksDir + "/.tmp-something", [])
            #expect(depot.orphanLocks() == ["orphan-a", "orphan-b"])
            try makeDirectory(depot.containerDir("orphan-a"))
            #expect(depot.orphanLocks() == ["orphan-b"])
        }
    }
}
