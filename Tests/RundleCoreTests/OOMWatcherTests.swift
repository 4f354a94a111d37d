import Glibc
import Synchronization
import Testing
import RundleOS
@testable import RundleCore

/// The handles an `OOMWatcher` reported, in order.
private final class Received: Sendable {
    private let handles = Mutex<[String]>([])
    func add(_ handle: String) { handles.withLock { $0.append(handle) } }
    func count(_ handle: String) -> Int { handles.withLock { $0.filter { $0 == handle }.count } }
    var all: [String] { handles.withLock { $0 } }
}

@Suite struct OOMWatcherTests {
    // MARK: mechanics, on a plain directory that looks like a cgroup v2 memory cgroup
    //
    // A regular `memory.events` gets the same inotify IN_MODIFY a cgroup2 file gets when the
    // kernel bumps a counter, so these need neither root nor a v2 memory controller.

    /// A fresh directory holding an empty `memory.events`.
    func fakeV2Cgroup() throws -> String {
        let dir = try makeTemporaryDirectory("oomwatch")
        try writeFile(dir + "/memory.events", Array("oom 0\noom_kill 0\n".utf8))
        return dir
    }

    func bump(_ dir: String, _ n: Int = 1) throws {
        try writeFile(dir + "/memory.events", Array("oom \(n)\noom_kill \(n)\n".utf8))
    }

    @Test func aChangeOfMemoryEventsReportsTheHandle() throws {
        let dir = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(dir) }
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        defer { watcher.stop() }
        try watcher.watch(handle: "web", memoryCgroup: dir)
        #expect(watcher.watchedHandles == ["web"])
        try bump(dir)
        #expect(eventually { received.count("web") >= 1 })
        #expect(Set(received.all) == ["web"])
    }

    /// Returns once every change made before the call has been dealt with by the watcher's
    /// thread, through a third handle watched for the purpose. One bump may be reported once or
    /// twice (open with O_TRUNC and write are two IN_MODIFY) and a round reports each handle at
    /// most once; so three reports of `barrier` after this call began mean the round that
    /// began polling after the earlier changes has ended.
    fileprivate func settle(_ received: Received, barrier: String, _ dir: String) throws {
        for round in 1...3 {
            let seen = received.count(barrier)
            try bump(dir, 100 + round)
            #expect(eventually { received.count(barrier) > seen })
        }
    }

    @Test func unwatchStopsCallbacksAndLeavesTheOthers() throws {
        let a = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(a) }
        let b = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(b) }
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        defer { watcher.stop() }
        try watcher.watch(handle: "a", memoryCgroup: a)
        try watcher.watch(handle: "b", memoryCgroup: b)
        try bump(a)
        #expect(eventually { received.count("a") >= 1 })

        watcher.unwatch(handle: "a")
        watcher.unwatch(handle: "a")  // not watched any more: nothing happens
        #expect(watcher.watchedHandles == ["b"])
        // A report of a that had begun before the unwatch may still finish: count after it.
        try settle(received, barrier: "b", b)
        let reportsOfA = received.count("a")
        try bump(a, 2)
        try settle(received, barrier: "b", b)
        #expect(received.count("a") == reportsOfA)
    }

    @Test func watchingAgainReplacesTheWatch() throws {
        let old = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(old) }
        let new = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(new) }
        let barrier = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(barrier) }
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        defer { watcher.stop() }
        try watcher.watch(handle: "barrier", memoryCgroup: barrier)
        try watcher.watch(handle: "h", memoryCgroup: old)
        try watcher.watch(handle: "h", memoryCgroup: new)
        #expect(watcher.watchedHandles == ["barrier", "h"])
        try bump(old)
        try settle(received, barrier: "barrier", barrier)
        #expect(received.count("h") == 0)
        try bump(new)
        #expect(eventually { received.count("h") >= 1 })
    }

    @Test func aRemovedDirectoryDropsItsWatchQuietly() throws {
        let dir = try fakeV2Cgroup()
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        defer { watcher.stop() }
        try watcher.watch(handle: "gone", memoryCgroup: dir)
        removeTemporaryDirectory(dir)
        #expect(eventually { watcher.watchedHandles.isEmpty })
        #expect(received.all.isEmpty)
    }

    @Test func watchesThatCannotBeSetThrowAndBreakNothing() throws {
        let good = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(good) }
        let plain = try makeTemporaryDirectory("oomwatch")
        defer { removeTemporaryDirectory(plain) }
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        defer { watcher.stop() }
        try watcher.watch(handle: "good", memoryCgroup: good)

        #expect { try watcher.watch(handle: "missing", memoryCgroup: plain + "/no-such-cgroup") } throws: {
            ($0 as? RundleError)?.code == .notFound
        }
        #expect { try watcher.watch(handle: "plain", memoryCgroup: plain) } throws: {
            ($0 as? RundleError)?.code == .unavailable
        }
        #expect(watcher.watchedHandles == ["good"])
        try bump(good)
        #expect(eventually { received.count("good") >= 1 })
    }

    @Test func stopEndsEverythingAndIsIdempotent() throws {
        let dir = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(dir) }
        let received = Received()
        let watcher = OOMWatcher(onEvent: received.add)
        watcher.stop()  // never started: nothing to end
        #expect { try watcher.watch(handle: "h", memoryCgroup: dir) } throws: {
            ($0 as? RundleError)?.code == .invalidState
        }

        let second = OOMWatcher(onEvent: received.add)
        try second.watch(handle: "h", memoryCgroup: dir)
        second.stop()
        second.stop()
        #expect(second.watchedHandles.isEmpty)
        try bump(dir)
        #expect { try second.watch(handle: "h", memoryCgroup: dir) } throws: {
            ($0 as? RundleError)?.code == .invalidState
        }
        #expect(received.all.isEmpty)
    }

    @Test func theCallbackMayStopTheWatcher() throws {
        let dir = try fakeV2Cgroup()
        defer { removeTemporaryDirectory(dir) }
        let received = Received()
        let holder = Mutex<OOMWatcher?>(nil)
        let watcher = OOMWatcher { handle in
            received.add(handle)
            // On the watcher's own thread: must neither deadlock nor join itself.
            holder.withLock { $0 }?.stop()
        }
        holder.withLock { $0 = watcher }
        defer { holder.withLock { $0 = nil } }
        try watcher.watch(handle: "h", memoryCgroup: dir)
        try bump(dir)
        #expect(eventually { received.count("h") == 1 && watcher.watchedHandles.isEmpty })
    }

    // MARK: a real cgroup v1 memory cgroup and a real OOM kill

    /// This process's own v1 memory cgroup, when we may make cgroups below it (root, a v1
    /// memory hierarchy with OOM notifications); nil skips the tests below.
    static let memoryParent: String? = {
        guard geteuid() == 0, let paths = try? cgroupPaths(pid: getpid()), let dir = paths.v1["memory"],
              fileExists(dir + "/cgroup.event_control"), access(dir, W_OK) == 0 else { return nil }
        return dir
    }()

    @Suite(.serialized, .enabled(if: OOMWatcherTests.memoryParent != nil, "needs root and a writable cgroup v1 memory hierarchy"))
    struct CgroupV1 {
        @Test func anOOMKillInTheCgroupReportsTheHandle() throws {
            let cgroup = try ScratchCgroup()
            defer { cgroup.remove() }
            let received = Received()
            // What oom_kill said at each report, read at once, as a reconcile would.
            let countsSeen = Received()
            let path = cgroup.path
            let watcher = OOMWatcher { handle in
                countsSeen.add(readCgroupFile(path, "memory.oom_control").flatMap { parseCgroupKeyValues($0)["oom_kill"] }.map { "\($0)" } ?? "unreadable")
                received.add(handle)
            }
            defer { watcher.stop() }
            try watcher.watch(handle: "hog", memoryCgroup: cgroup.path)

            let hog = try Child.memoryHog(in: cgroup.path)
            defer { hog.kill() }
            // v1 signals the OOM before the kill is counted: the watcher must report again once
            // it is, or a reconcile run from the first report would record nothing.
            #expect(eventually(timeout: .seconds(15)) { countsSeen.count("1") >= 1 })
            // It was a real OOM kill: the child died of SIGKILL and the kernel counted it.
            #expect(hog.wait(timeout: .seconds(30)) == RundleOS.ExitStatus.signaled(SIGKILL))
            #expect(Set(received.all) == ["hog"])
        }

        /// The daemon's flow: the container's memory cgroup found from its init's pid, the
        /// callback calling `events(handle)`, the OOM recorded once in events.jsonl.
        @Test func theDaemonsFlowRecordsTheOOMInTheEventLog() throws {
            let cgroup = try ScratchCgroup()
            defer { cgroup.remove() }
            let dir = try makeTemporaryDirectory("oomwatch-depot")
            defer { removeTemporaryDirectory(dir) }

            // A stand-in for the container's init, in the cgroup (the hog is the OOM killer's choice).
            let initProcess = try Child.spawn("/bin/sleep", ["600"])
            defer { initProcess.kill() }
            try writeFile(cgroup.path + "/cgroup.procs", Array("\(initProcess.pid)".utf8))

            var config = ContainerizerConfig(initPath: "/nonexistent", keeperPath: "/nonexistent")
            config.depot = dir + "/depot"
            let containerizer = Containerizer(config: config)
            try containerizer.depot.prepare()
            let handle = "oom-e2e"
            try makeDirectories(containerizer.depot.containerDir(handle))
            try containerizer.depot.writeRecord(ContainerRecord(
                handle: handle, status: .created, spec: ContainerSpec(handle: handle, rootfs: "/nonexistent"),
                runtime: "runc", runtimeRoot: "", createdAtNanos: wallClockNanoseconds(),
                initPid: initProcess.pid, initStartTime: processStartTime(initProcess.pid)))

            #expect(try containerizer.memoryCgroupDirectory(handle) == cgroup.path)
            let failures = Received()
            let watcher = OOMWatcher { handle in
                do { _ = try containerizer.events(handle) } catch { failures.add("\(error)") }
            }
            defer { watcher.stop() }
            try watcher.watch(handle: handle, memoryCgroup: try containerizer.memoryCgroupDirectory(handle))

            let hog = try Child.memoryHog(in: cgroup.path)
            defer { hog.kill() }
            let store = EventStore(layout: containerizer.depot.layout(handle))
            #expect(eventually(timeout: .seconds(15)) { ((try? store.readAll()) ?? []).contains { $0.type == "oom" } })
            #expect(hog.wait(timeout: .seconds(30)) == RundleOS.ExitStatus.signaled(SIGKILL))
            let ooms = try store.readAll().filter { $0.type == ContainerEvent.oomType }
            #expect(ooms.first?.message == ContainerEvent.oomMessage)
            #expect(ooms.first?.oomKillCount == 1)
            #expect(failures.all.isEmpty)

            // With its init gone the container has no memory cgroup to give.
            initProcess.kill()
            #expect { try containerizer.memoryCgroupDirectory(handle) } throws: {
                ($0 as? RundleError)?.code == .invalidState
            }
        }

        @Test func aRemovedCgroupDropsItsWatchQuietly() throws {
            let cgroup = try ScratchCgroup()
            defer { cgroup.remove() }
            let received = Received()
            let watcher = OOMWatcher(onEvent: received.add)
            defer { watcher.stop() }
            try watcher.watch(handle: "gone", memoryCgroup: cgroup.path)
            cgroup.remove()
            // The kernel signals the eventfd on rmdir; the watcher sees the cgroup gone.
            #expect(eventually { watcher.watchedHandles.isEmpty })
            #expect(received.all.isEmpty)
        }

        @Test func aMissingCgroupThrowsNotFound() throws {
            let parent = try #require(OOMWatcherTests.memoryParent)
            let watcher = OOMWatcher { _ in }
            defer { watcher.stop() }
            #expect { try watcher.watch(handle: "x", memoryCgroup: parent + "/rundle-no-such-cgroup-\(getpid())") } throws: {
                ($0 as? RundleError)?.code == .notFound
            }
            #expect(watcher.watchedHandles.isEmpty)
        }
    }
}

/// A v1 memory cgroup below this process's own, limited to 8 MiB of memory (and of memory +
/// swap, where the kernel has it), removed by `remove()`.
private final class ScratchCgroup: Sendable {
    let path: String

    init() throws {
        let parent = try #require(OOMWatcherTests.memoryParent)
        path = parent + "/rundle-oomwatch-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try makeDirectory(path)
        let limit = Array("\(8 << 20)".utf8)
        do {
            try writeFile(path + "/memory.limit_in_bytes", limit)
        } catch {
            remove()
            throw error
        }
        // Without swap accounting this file does not exist; the memory limit alone then applies.
        try? writeFile(path + "/memory.memsw.limit_in_bytes", limit)
    }

    /// rmdir, retried until the killed tasks have left; a cgroup still there afterwards fails the test.
    func remove() {
        guard isDirectory(path) else { return }
        let removed = eventually(timeout: .seconds(10)) { rmdir(path) == 0 || errno == ENOENT }
        if !removed { Issue.record("cannot remove the scratch cgroup \(path): \(OSError(errno: errno, call: "rmdir").message)") }
    }
}

/// A child process of the test, killed and reaped by `kill()` unless `wait` reaped it first.
private final class Child: Sendable {
    let pid: pid_t
    private let reaped = Mutex(false)

    private init(pid: pid_t) { self.pid = pid }

    static func spawn(_ executable: String, _ arguments: [String]) throws -> Child {
        Child(pid: try spawnProcess(SpawnOptions(executable: executable, arguments: arguments)))
    }

    /// A shell that moves itself into `cgroup`, makes itself the OOM killer's first choice (raising
    /// one's own score needs no privilege), then doubles a string until it is killed.
    static func memoryHog(in cgroup: String) throws -> Child {
        try spawn("/bin/sh", ["-c", "echo $$ > '\(cgroup)/cgroup.procs' || exit 90; echo 1000 > /proc/$$/oom_score_adj;"
                              + " x=0123456789abcdef; while :; do x=$x$x; done"])
    }

    /// Waits for the child's exit (reaping it); nil on timeout.
    func wait(timeout: Duration) -> RundleOS.ExitStatus? {
        reaped.withLock { done -> RundleOS.ExitStatus? in
            guard !done, let status = try? waitForChild(pid, timeout: timeout) else { return nil }
            done = true
            return status
        }
    }

    func kill() {
        reaped.withLock { done in
            guard !done else { return }
            _ = Glibc.kill(pid, SIGKILL)
            _ = try? waitForChild(pid, timeout: nil)
            done = true
        }
    }
}
