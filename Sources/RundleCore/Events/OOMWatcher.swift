import Glibc
import RundleOS
import Synchronization

/// Watches containers' memory cgroups for OOM notifications on one background thread, and tells
/// `onEvent` which handle's cgroup fired.
///
/// The watcher only says *that* something may have happened, never what: the receiver is
/// expected to call `Containerizer.events(handle)`, whose reconciliation of the kernel's
/// oom_kill counter records each kill exactly once (see `OOMReconciler`). So a spurious or
/// repeated notification costs a read and records nothing twice, and an OOM that happens while
/// nobody watches is still found by the next reconcile.
///
/// - cgroup v1: an eventfd registered through `cgroup.event_control` on `memory.oom_control`.
///   The kernel signals it when the cgroup enters OOM, *before* the victim is killed and
///   counted, so the handle is reported at once and again when oom_kill has moved (re-read for
///   a few seconds; see `FollowUp`). The kernel also signals the eventfd once when the cgroup is
///   removed; such a watch is dropped quietly (no callback: with the cgroup gone there is no
///   counter left to reconcile).
/// - cgroup v2: inotify IN_MODIFY on `memory.events` (every counter change, not only oom_kill).
///
/// `onEvent` runs on the watcher's thread, one call at a time, never under the watcher's lock
/// (it may call `watch`, `unwatch` or `stop`). A slow callback delays the other handles'
/// notifications but loses none: the kernel keeps signalling the fds until they are read.
public final class OOMWatcher: Sendable {
    private let core: Core

    public init(onEvent: @escaping @Sendable (String) -> Void) {
        core = Core(onEvent: onEvent)
    }

    deinit { core.stop() }

    /// Starts watching `memoryCgroup` (the container's memory cgroup directory, see
    /// `Containerizer.memoryCgroupDirectory`) for `handle`. Watching a handle again replaces
    /// its watch (a restarted container has a new cgroup). Throws `.notFound` when the directory
    /// is gone, `.unavailable` when the kernel refuses the notification, `.invalidState` after
    /// `stop()`; other handles' watches are never affected by a failure.
    public func watch(handle: String, memoryCgroup: String) throws(RundleError) {
        try core.watch(handle: handle, directory: memoryCgroup)
    }

    /// Stops watching `handle` (nothing happens when it is not watched). No new callback for it
    /// starts after this returns; one already running on the watcher's thread may finish.
    public func unwatch(handle: String) {
        core.unwatch(handle)
    }

    /// Drops every watch and ends the thread, waiting for it unless called from `onEvent` (so
    /// do not call it holding a lock the callback takes). Idempotent; `watch` throws
    /// `.invalidState` afterwards.
    public func stop() {
        core.stop()
    }

    /// The handles currently watched, sorted. A watch whose cgroup was removed leaves this list
    /// once the watcher's thread has noticed.
    public var watchedHandles: [String] {
        core.state.withLock { $0.watches.keys.sorted() }
    }
}

/// The state and the thread, separate from `OOMWatcher` so that the thread's reference keeps
/// this alive, not the watcher: dropping the last `OOMWatcher` reference stops the thread.
private final class Core: Sendable {
    enum Kind: Sendable { case v1, v2 }

    struct Watch: Sendable {
        /// The fd polled: a v1 eventfd or a v2 inotify fd.
        let fd: Int32
        let directory: String
        let kind: Kind
        /// The directory's (device, inode) when the watch was set: a cgroup removed and made
        /// again at the same path is a different cgroup, which this watch no longer sees.
        let identity: FileIdentity
        /// Tells this watch from a later one of the same handle.
        let serial: UInt64
    }

    struct FileIdentity: Sendable, Equatable {
        let device: UInt64
        let inode: UInt64
    }

    struct State: Sendable {
        var watches: [String: Watch] = [:]
        /// fds of replaced or removed watches. Only the watcher's thread closes them, between two
        /// polls: closed while being polled, the number could be reused by an unrelated file.
        var retired: [Int32] = []
        /// Written to make the thread re-read the watches (or see `stopped`); -1 until started.
        var wakeFD: Int32 = -1
        var thread: pthread_t?
        var stopped = false
        var nextSerial: UInt64 = 0
    }

    let state = Mutex(State())
    let onEvent: @Sendable (String) -> Void

    init(onEvent: @escaping @Sendable (String) -> Void) {
        self.onEvent = onEvent
    }

    // MARK: API (any thread)

    func watch(handle: String, directory: String) throws(RundleError) {
        let (fd, kind, identity) = try openWatch(directory, handle: handle)
        let failure: RundleError? = state.withLock { s in
            if s.stopped {
                return RundleError(.invalidState, "the OOM watcher is stopped", handle: handle)
            }
            if s.thread == nil {
                do { try start(&s) } catch {
                    return RundleError(.unavailable, "cannot start the OOM watcher's thread", handle: handle, cause: error)
                }
            }
            if let old = s.watches[handle] { s.retired.append(old.fd) }
            s.nextSerial += 1
            s.watches[handle] = Watch(fd: fd, directory: directory, kind: kind, identity: identity, serial: s.nextSerial)
            wake(s)
            return nil
        }
        if let failure {
            closeDescriptor(fd)
            throw failure
        }
    }

    func unwatch(_ handle: String) {
        state.withLock { s in
            guard let old = s.watches.removeValue(forKey: handle) else { return }
            s.retired.append(old.fd)
            wake(s)
        }
    }

    func stop() {
        let thread: pthread_t? = state.withLock { s in
            guard !s.stopped else { return nil }
            s.stopped = true
            s.retired += s.watches.values.map(\.fd)
            s.watches = [:]
            // A watch always starts the thread, so without one there is no fd to close.
            guard let thread = s.thread else { return nil }
            wake(s)
            return thread
        }
        guard let thread else { return }
        if pthread_equal(thread, pthread_self()) != 0 {
            // Called from onEvent: the thread ends when the callback returns and closes its fds.
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    /// Opens the notification fd for the memory cgroup `directory`, and its identity.
    private func openWatch(_ directory: String, handle: String) throws(RundleError) -> (Int32, Kind, FileIdentity) {
        func failed(_ error: OSError) -> RundleError {
            if error.errno == ENOENT || error.errno == ENOTDIR {
                return RundleError(.notFound, "memory cgroup \(directory) does not exist", handle: handle, cause: error)
            }
            return RundleError(.unavailable, "cannot watch memory cgroup \(directory) for OOM kills", handle: handle, cause: error)
        }
        let found: FileIdentity?
        do { found = try Self.identity(of: directory) } catch { throw failed(error) }
        guard let identity = found else {
            throw RundleError(.notFound, "memory cgroup \(directory) does not exist", handle: handle)
        }
        let kind: Kind
        if fileExists(directory + "/memory.oom_control") {
            kind = .v1
        } else if fileExists(directory + "/memory.events") {
            kind = .v2
        } else {
            throw RundleError(.unavailable, "\(directory) is not a memory cgroup (no memory.oom_control, no memory.events)", handle: handle)
        }
        do {
            switch kind {
            case .v1: return (try openV1OOMNotification(directory), kind, identity)
            case .v2: return (try openV2MemoryEventsNotification(directory), kind, identity)
            }
        } catch {
            throw failed(error)
        }
    }

    // MARK: the thread

    /// Creates the wake eventfd and the thread; called under the lock, on the first watch.
    private func start(_ s: inout State) throws(OSError) {
        let wakeFD = try openEventDescriptor()
        // The thread owns one reference until it returns.
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<Core>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Core>.fromOpaque(context).release()
            closeDescriptor(wakeFD)
            throw OSError(errno: rc, call: "pthread_create")
        }
        s.wakeFD = wakeFD
        s.thread = thread
    }

    /// Makes the thread return from poll. Called under the lock, so the fd is never closed
    /// under it (the thread closes it under the lock too, once it has seen `stopped`).
    private func wake(_ s: borrowing State) {
        guard s.wakeFD >= 0 else { return }
        var one: UInt64 = 1
        // nil (counter saturated) or an error both leave the fd readable: the thread wakes anyway.
        _ = try? withUnsafeBytes(of: &one) { bytes throws(OSError) in try writeAvailable(s.wakeFD, bytes) }
    }

    /// A v1 watch that fired: the kernel signals the eventfd when the cgroup *enters* OOM, before
    /// the OOM killer has picked and counted its victim, so a reconcile run right away still
    /// reads the old oom_kill count. The thread re-reads the counter until it has moved past
    /// `baseline` (then reports the handle once more) or `giveUpAt` passes (no kill happened:
    /// nothing was killable, or the charge was satisfied by reclaim after all).
    struct FollowUp {
        let serial: UInt64
        let directory: String
        let baseline: UInt64
        var due: ContinuousClock.Instant
        var interval: Duration
        let giveUpAt: ContinuousClock.Instant
    }

    static let followUpFirst = Duration.milliseconds(5)
    static let followUpLongest = Duration.milliseconds(200)
    static let followUpFor = Duration.seconds(5)

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Only this thread touches them: no lock.
        var followUps: [String: FollowUp] = [:]
        while true {
            let snapshot: (wakeFD: Int32, watches: [(String, Watch)])? = state.withLock { s in
                for fd in s.retired { closeDescriptor(fd) }
                s.retired = []
                if s.stopped {
                    closeDescriptor(s.wakeFD)
                    s.wakeFD = -1
                    return nil
                }
                return (s.wakeFD, s.watches.map { ($0.key, $0.value) })
            }
            guard let snapshot else { return }
            var entries = [pollfd(fd: snapshot.wakeFD, events: Int16(POLLIN), revents: 0)]
            entries += snapshot.watches.map { pollfd(fd: $0.1.fd, events: Int16(POLLIN), revents: 0) }
            do {
                _ = try pollDescriptors(&entries, timeoutMilliseconds: Self.timeout(until: followUps.values.map(\.due).min()))
            } catch {
                // Only ENOMEM is possible here: back off instead of spinning, then retry.
                var none: [pollfd] = []
                _ = try? pollDescriptors(&none, timeoutMilliseconds: 100)
                continue
            }
            if entries[0].revents != 0 { _ = drain(snapshot.wakeFD, &buffer) }
            for (index, (handle, watch)) in snapshot.watches.enumerated() where entries[index + 1].revents != 0 {
                guard fired(handle, watch, revents: entries[index + 1].revents, &buffer) else { continue }
                if watch.kind == .v1, let baseline = Self.v1OOMKillCount(watch.directory) {
                    // Read before the report, so a kill counted after this read is followed up.
                    let now = ContinuousClock.now
                    followUps[handle] = FollowUp(serial: watch.serial, directory: watch.directory, baseline: baseline,
                                                 due: now + Self.followUpFirst, interval: Self.followUpFirst,
                                                 giveUpAt: now + Self.followUpFor)
                }
                report(handle, serial: watch.serial)
            }
            let now = ContinuousClock.now
            for (handle, followUp) in followUps where followUp.due <= now {
                guard isCurrent(handle, serial: followUp.serial), let count = Self.v1OOMKillCount(followUp.directory) else {
                    followUps[handle] = nil
                    continue
                }
                if count > followUp.baseline {
                    followUps[handle] = nil
                    report(handle, serial: followUp.serial)
                } else if now >= followUp.giveUpAt {
                    followUps[handle] = nil
                } else {
                    followUps[handle]?.interval = min(followUp.interval * 2, Self.followUpLongest)
                    followUps[handle]?.due = now + followUp.interval
                }
            }
        }
    }

    /// poll's timeout for the earliest follow-up: -1 (none), else milliseconds, rounded up.
    static func timeout(until due: ContinuousClock.Instant?) -> Int32 {
        guard let due else { return -1 }
        let left = due - ContinuousClock.now
        guard left > .zero else { return 0 }
        return Int32(clamping: Int64((left / .milliseconds(1)).rounded(.up)))
    }

    /// memory.oom_control's oom_kill (kernel >= 4.13); nil when gone or unreadable.
    static func v1OOMKillCount(_ directory: String) -> UInt64? {
        readCgroupFile(directory, "memory.oom_control").flatMap { parseCgroupKeyValues($0)["oom_kill"] }
    }

    /// Whether `handle` is still watched by the watch numbered `serial`.
    private func isCurrent(_ handle: String, serial: UInt64) -> Bool {
        state.withLock { !$0.stopped && $0.watches[handle]?.serial == serial }
    }

    /// Calls `onEvent` unless the watch was removed or replaced meanwhile (never under the lock).
    private func report(_ handle: String, serial: UInt64) {
        if isCurrent(handle, serial: serial) { onEvent(handle) }
    }

    /// One watch's fd is ready: reads it empty; true when the handle should be reported, false
    /// when the watch is no longer current or its cgroup is gone (the watch is then dropped).
    private func fired(_ handle: String, _ watch: Watch, revents: Int16, _ buffer: inout [UInt8]) -> Bool {
        let drained = drain(watch.fd, &buffer, inotify: watch.kind == .v2)
        let gone: Bool
        switch drained {
        case .dead: gone = true
        // Ready without data and in error: it would stay ready forever.
        case .nothing: gone = revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 || !exists(watch)
        case .signalled: gone = !exists(watch)
        }
        return state.withLock { s in
            // Unwatched, replaced or stopped while this poll ran: not this watch's business any more.
            guard !s.stopped, s.watches[handle]?.serial == watch.serial else { return false }
            if gone {
                s.watches[handle] = nil
                s.retired.append(watch.fd)
                return false
            }
            return true
        }
    }

    /// Whether the watched cgroup is still the one the watch was set on.
    private func exists(_ watch: Watch) -> Bool {
        (try? Self.identity(of: watch.directory)) == watch.identity
    }

    /// The directory's identity; nil when there is no directory at `directory`.
    static func identity(of directory: String) throws(OSError) -> FileIdentity? {
        // "/." follows a symlink in the last component (statAt does not) and fails on a non-directory.
        do {
            guard let status = try statAtIfExists(AT_FDCWD, directory + "/.") else { return nil }
            return FileIdentity(device: status.device, inode: status.inode)
        } catch where error.errno == ENOTDIR {
            return nil
        }
    }

    /// What reading a ready fd empty found.
    enum Drained {
        /// Nothing (a spurious wake-up).
        case nothing
        /// Something to report.
        case signalled
        /// The fd will never report again: unreadable, or (inotify) its watch was removed
        /// because `memory.events` went away with its cgroup.
        case dead
    }

    /// Reads the non-blocking `fd` until it has nothing left (an eventfd resets in one read; an
    /// inotify fd may hold several events, whose masks are looked at when `inotify` is set).
    private func drain(_ fd: Int32, _ buffer: inout [UInt8], inotify: Bool = false) -> Drained {
        var result = Drained.nothing
        while true {
            let count: Int?
            do {
                count = try buffer.withUnsafeMutableBytes { bytes throws(OSError) in try readAvailable(fd, bytes) }
            } catch {
                return .dead
            }
            guard let count, count > 0 else { return result }
            if case .nothing = result { result = .signalled }
            if inotify && Self.watchRemoved(buffer[..<count]) { result = .dead }
        }
    }

    /// Whether a read of inotify events holds IN_IGNORED or IN_DELETE_SELF (struct inotify_event:
    /// wd, mask, cookie, len, then len bytes of name; the kernel never splits one event).
    static func watchRemoved(_ events: ArraySlice<UInt8>) -> Bool {
        let header = 16
        let ended = UInt32(IN_IGNORED) | UInt32(IN_DELETE_SELF)
        return events.withUnsafeBytes { bytes in
            var offset = 0
            while offset + header <= bytes.count {
                let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let nameLength = bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
                if mask & ended != 0 { return true }
                offset += header + Int(nameLength)
            }
            return false
        }
    }
}
