import Glibc
import Logging
import RundleOS
import Synchronization

/// Garden's grace time: a container no client has used for its grace time is destroyed.
/// Every handle-scoped request pauses its clock; when the last pause ends the full countdown
/// starts again. The clock lives in `<depot>/.garden/grace/<handle>` ("<grace ns> <idle since,
/// realtime ns> <paused 0|1>"), so it survives a daemon restart: idle time before the restart
/// counts, and a container that was in use when the daemon died starts a full countdown.
final class GraceReaper: Sendable {
    struct Clock: Equatable {
        var graceNanos: UInt64
        var idleSinceNanos: Int64
        var pauses: Int = 0
    }

    private let directory: String
    private let logger: Logger
    private let clocks = Mutex<[String: Clock]>([:])
    private let expire: @Sendable (String) -> Void
    private let wake: EventFD
    private let stopped = Atomic<Bool>(false)

    init(directory: String, logger: Logger, expire: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.logger = logger
        self.expire = expire
        // An eventfd cannot fail for want of anything but fds; without one the reaper checks every second.
        self.wake = (try? EventFD()) ?? { fatalError("eventfd: out of file descriptors") }()
    }

    /// Reads the clocks of the containers that still exist; forgets the others' files.
    func load(existing handles: [String]) {
        let names = (try? listDirectory(directory)) ?? []
        let now = Self.now()
        var loaded: [String: Clock] = [:]
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            guard handles.contains(name) else { _ = unlink(path); continue }
            guard let bytes = try? readFile(path, limit: 256) else { continue }
            let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard fields.count == 3, let grace = UInt64(fields[0]), let idle = Int64(fields[1]) else { continue }
            // In use when the daemon died: that use ended with it.
            loaded[name] = Clock(graceNanos: grace, idleSinceNanos: fields[2] == "1" ? now : idle)
        }
        clocks.withLock { $0 = loaded }
        for (handle, clock) in loaded { persist(handle, clock) }
        wake.signal()
    }

    /// Sets a container's grace time and restarts its countdown (0: never reaped). Pauses held
    /// now (an open Run) still hold.
    func register(_ handle: String, graceNanos: UInt64) {
        let clock = clocks.withLock { clocks -> Clock? in
            var clock = clocks[handle] ?? Clock(graceNanos: graceNanos, idleSinceNanos: Self.now())
            clock.graceNanos = graceNanos
            clock.idleSinceNanos = Self.now()
            clocks[handle] = clock.graceNanos == 0 && clock.pauses == 0 ? nil : clock
            return clock
        }
        if let clock, clock.graceNanos > 0 { persist(handle, clock) } else { _ = unlink(path(handle)) }
        wake.signal()
    }

    /// A request uses the container: its clock stops until the matching `resume`. Counted also
    /// for containers without a grace time, so one set meanwhile cannot expire under an open Run.
    func pause(_ handle: String) {
        let changed = clocks.withLock { clocks -> Clock? in
            var clock = clocks[handle] ?? Clock(graceNanos: 0, idleSinceNanos: Self.now())
            clock.pauses += 1
            clocks[handle] = clock
            return clock.pauses == 1 && clock.graceNanos > 0 ? clock : nil
        }
        if let changed { persist(handle, changed) }
    }

    func resume(_ handle: String) {
        let changed = clocks.withLock { clocks -> Clock? in
            guard var clock = clocks[handle], clock.pauses > 0 else { return nil }
            clock.pauses -= 1
            if clock.pauses == 0 { clock.idleSinceNanos = Self.now() }
            clocks[handle] = clock.pauses == 0 && clock.graceNanos == 0 ? nil : clock
            return clock.pauses == 0 && clock.graceNanos > 0 ? clock : nil
        }
        if let changed {
            persist(handle, changed)
            wake.signal()
        }
    }

    /// The container is going (destroy): no clock any more.
    func cancel(_ handle: String) {
        _ = clocks.withLock { $0.removeValue(forKey: handle) }
        _ = unlink(path(handle))
    }

    func clock(_ handle: String) -> Clock? { clocks.withLock { $0[handle].flatMap { $0.graceNanos > 0 ? $0 : nil } } }

    /// Checks the clocks until `stop`: each expiry is destroyed on a thread of its own.
    func run() {
        let started = startThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let now = Self.now()
                var next: Int64 = 1_000_000_000
                let expired = clocks.withLock { clocks -> [String] in
                    var out: [String] = []
                    for (handle, clock) in clocks where clock.pauses == 0 && clock.graceNanos > 0 {
                        let left = Int64(clamping: clock.graceNanos) - (now - clock.idleSinceNanos)
                        if left <= 0 { out.append(handle) } else { next = min(next, left) }
                    }
                    for handle in out { clocks[handle] = nil }
                    return out
                }
                for handle in expired {
                    let expire = self.expire
                    if !startThread({ expire(handle) }) { expire(handle) }
                }
                wake.wait(.nanoseconds(max(next, 1_000_000)))
            }
        }
        if !started { logger.critical("no thread for the grace-time reaper: containers will not be reaped") }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.signal()
    }

    private func path(_ handle: String) -> String { directory + "/" + handle }

    private func persist(_ handle: String, _ clock: Clock) {
        let text = "\(clock.graceNanos) \(clock.idleSinceNanos) \(clock.pauses > 0 ? 1 : 0)\n"
        do {
            if !isDirectory(directory) { try makeDirectories(directory, mode: 0o700) }
            try replaceFile(path(handle), Array(text.utf8), mode: 0o600)
        } catch {
            logger.warning("cannot save a grace clock", metadata: ["handle": "\(handle)", "error": "\(error)"])
        }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
