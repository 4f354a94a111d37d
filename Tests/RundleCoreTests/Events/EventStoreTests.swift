import Glibc
import Testing
import RundleOS
@testable import RundleCore

@Suite struct EventStoreTests {
    @Test func appendsReadsAndSkipsATornLastLine() throws {
        let dir = try makeTemporaryDirectory("events")
        defer { removeTemporaryDirectory(dir) }
        let store = EventStore(path: dir + "/events.jsonl")
        #expect(try store.readAll().isEmpty)
        let oom = ContainerEvent(timeNanos: 5, type: "oom", message: "Out of memory", oomKillCount: 1)
        try store.append([oom])
        #expect(try store.readAll() == [oom])
        // A crash tore the next append.
        try appendAndSync(store.path, Array(#"{"time":6,"type":"oo"#.utf8))
        #expect(try store.readAll() == [oom])
        // The next append starts on a fresh line, so the torn one never swallows it.
        let second = ContainerEvent(timeNanos: 7, type: "oom", message: "Out of memory", oomKillCount: 2)
        try store.append([second])
        #expect(try store.readAll() == [oom, second])
        let text = String(decoding: try readFile(store.path), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").count == 3)
        #expect(permissions(store.path) == 0o600)
    }
}

@Suite struct OOMReconcilerTests {
    final class Counter: @unchecked Sendable {
        var value: UInt64?
        init(_ value: UInt64?) { self.value = value }
    }

    func reconciler(_ dir: String, _ counter: Counter) -> OOMReconciler {
        OOMReconciler(store: EventStore(path: dir + "/events.jsonl"), lockPath: dir + "/events.lock",
                      readCounter: { counter.value }, now: { 42 })
    }

    @Test func eachKillIsRecordedExactlyOnce() throws {
        let dir = try makeTemporaryDirectory("oom")
        defer { removeTemporaryDirectory(dir) }
        let counter = Counter(0)
        let r = reconciler(dir, counter)
        #expect(try r.reconcile().isEmpty)
        counter.value = 1
        #expect(try r.reconcile().map(\.oomKillCount) == [1])
        #expect(try r.reconcile().map(\.oomKillCount) == [1])   // looked at again: nothing new
        counter.value = 3
        let events = try r.reconcile()
        #expect(events.map(\.oomKillCount) == [1, 2, 3])
        #expect(events.allSatisfy { $0.type == "oom" && $0.message == "Out of memory" && $0.timeNanos == 42 })
        // A fresh reconciler (another command) agrees: "last seen" comes from the log alone.
        #expect(try reconciler(dir, counter).reconcile().count == 3)
        // Unreadable counter (container gone) or a stale lower read: nothing added, nothing lost.
        counter.value = nil
        #expect(try r.reconcile().count == 3)
        counter.value = 2
        #expect(try r.reconcile().count == 3)
    }

    @Test func aTornAppendIsRecordedAgainNotTwice() throws {
        let dir = try makeTemporaryDirectory("oom")
        defer { removeTemporaryDirectory(dir) }
        let counter = Counter(1)
        let r = reconciler(dir, counter)
        #expect(try r.reconcile().count == 1)
        // A crash mid-append of kills 2 and 3: kill 2's line complete, kill 3's torn.
        counter.value = 3
        let two = ContainerEvent(timeNanos: 1, type: "oom", message: "Out of memory", oomKillCount: 2).json().serialized()
        try appendAndSync(dir + "/events.jsonl", Array((two + "\n{\"time\":1,\"ty").utf8))
        #expect(try r.reconcile().map(\.oomKillCount) == [1, 2, 3])
        #expect(try r.reconcile().map(\.oomKillCount) == [1, 2, 3])
    }

    @Test func newEventsArithmetic() {
        #expect(OOMReconciler.newEvents(lastSeen: 0, counter: 0, time: 0).isEmpty)
        #expect(OOMReconciler.newEvents(lastSeen: 2, counter: 5, time: 0).map(\.oomKillCount) == [3, 4, 5])
        #expect(OOMReconciler.newEvents(lastSeen: 5, counter: 2, time: 0).isEmpty)
    }

    @Test func concurrentReconcilesNeverDuplicate() throws {
        let dir = try makeTemporaryDirectory("oom")
        defer { removeTemporaryDirectory(dir) }
        let counter = Counter(4)
        let r = reconciler(dir, counter)
        var joins: [() -> Void] = []
        for _ in 0..<4 { joins.append(try startThread { _ = try? r.reconcile() }) }
        for join in joins { join() }
        #expect(try EventStore(path: dir + "/events.jsonl").readAll().map(\.oomKillCount) == [1, 2, 3, 4])
    }
}
