import RundleOS

/// Turns the kernel's own OOM-kill counter into events, exactly once each.
///
/// The counter (v1 `memory.oom_control` oom_kill, v2 `memory.events` oom_kill) lives in the
/// container's memory cgroup and counts whether or not any Rundle command was running, so an OOM
/// is recorded the next time anything looks at the container. Every `oom` event line carries the
/// counter value it accounts for (`oomKillCount`); "last seen" is the count of the last oom event
/// in the log. There is no second file to keep in step: an append that a crash tore is skipped by
/// readers, so its kills are simply found again by the next reconcile, and a complete line is
/// never appended twice because the reconcile runs under `events.lock` (an exclusive flock) and
/// re-reads the log inside it.
public struct OOMReconciler: Sendable {
    public let store: EventStore
    public let lockPath: String
    /// The current counter, or nil when it cannot be read (no memory cgroup, container gone).
    let readCounter: @Sendable () -> UInt64?
    let now: @Sendable () -> Int64

    public init(store: EventStore, lockPath: String, readCounter: @escaping @Sendable () -> UInt64?,
                now: (@Sendable () -> Int64)? = nil) {
        self.store = store
        self.lockPath = lockPath
        self.readCounter = readCounter
        self.now = now ?? { Containerizer.nowNanos() }
    }

    /// The count the last recorded oom event accounts for (0 when there is none).
    static func lastSeen(_ events: [ContainerEvent]) -> UInt64 {
        events.last { $0.type == ContainerEvent.oomType }?.oomKillCount ?? 0
    }

    /// The events for kills counted since `lastSeen`. The counter never goes down while the
    /// cgroup exists (and the log is removed with the container), so a lower value — a stale read
    /// — means nothing new.
    static func newEvents(lastSeen: UInt64, counter: UInt64, time: Int64) -> [ContainerEvent] {
        guard counter > lastSeen else { return [] }
        return ((lastSeen + 1)...counter).map {
            ContainerEvent(timeNanos: time, type: ContainerEvent.oomType, message: ContainerEvent.oomMessage, oomKillCount: $0)
        }
    }

    /// Records every OOM kill not yet in the log; returns the log's full content afterwards.
    @discardableResult
    public func reconcile() throws(OSError) -> [ContainerEvent] {
        // Cheap path without the lock: nothing new (or nothing readable).
        let seen = try store.readAll()
        guard let peek = readCounter(), peek > Self.lastSeen(seen) else { return seen }
        // The counter is read again inside the lock: another reconcile may have recorded more.
        guard let lock = try FileLock.acquire(lockPath, blocking: true) else { return seen }
        let existing = try store.readRaw()
        var events = EventStore.parse(existing)
        let fresh = Self.newEvents(lastSeen: Self.lastSeen(events), counter: readCounter() ?? peek, time: now())
        try store.append(fresh, after: existing)
        events += fresh
        _ = consume lock
        return events
    }
}
