import Glibc
import RundleOS

extension Containerizer {
    /// Garden's Stop: TERM to every process but the init, up to `grace` for them to exit, then
    /// KILL (`kill`: KILL at once). The stopped state is persisted; the init and the rootfs stay,
    /// so files can still be streamed in and out, but no new process is started. Each process's
    /// keeper records its exit code as usual.
    public func stop(_ handle: String, kill: Bool, grace: Duration = .seconds(10)) throws(RundleError) {
        try Handle.validate(handle)
        guard grace >= .zero else { throw RundleError(.invalidArgument, "the grace time must not be negative") }
        guard depot.exists(handle) else { throw notFound(handle) }
        // Held for the whole stop (its lifetime ends at the `consume` below).
        guard let lock = try depot.lock(handle) else { throw RundleError(.internal, "lock unavailable") }
        var record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound {
            throw notFound(handle)
        }
        guard record.status != .creating else {
            throw RundleError(.invalidState, "container '\(handle)' is still being created", handle: handle)
        }
        if initAlive(record), let initPid = record.initPid {
            if !kill {
                signalAll(except: initPid, SIGTERM)
                _ = waitUntil(deadline: ContinuousClock.now + grace) { containerPids(initPid: initPid).isEmpty }
            }
            let killDeadline = ContinuousClock.now + config.timeouts.kill
            repeat {
                signalAll(except: initPid, SIGKILL)
            } while !waitUntil(deadline: min(killDeadline, ContinuousClock.now + .milliseconds(500))) {
                containerPids(initPid: initPid).isEmpty
            } && ContinuousClock.now < killDeadline
            let left = containerPids(initPid: initPid)
            if !left.isEmpty {
                throw RundleError(.timeout, "processes \(left.map(String.init).joined(separator: ", ")) of container '\(handle)' did not die after SIGKILL (D state?)", handle: handle)
            }
        }
        record.status = .stopped
        try depot.writeRecord(record)
        _ = consume lock
        // Keepers write the exit codes of what was killed; wait for them so `ps` shows them.
        stopKeepers(depot.layout(handle))
    }

    func signalAll(except initPid: Int32, _ signal: Int32) {
        for pid in containerPids(initPid: initPid) { _ = try? sendSignal(pid, signal) }
    }

    /// Host pids of every process in the init's pid namespace but the init itself. The pid
    /// namespace is what `runtime exec` joins, so this finds every process without depending on
    /// where the runtime put the cgroups.
    func containerPids(initPid: Int32) -> [Int32] {
        guard let namespace = pidNamespace(initPid), let entries = try? listDirectory("/proc") else { return [] }
        var pids: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != initPid, pid != getpid() else { continue }
            if pidNamespace(pid) == namespace, !isZombie(pid) { pids.append(pid) }
        }
        return pids
    }

    func pidNamespace(_ pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let n = readlink("/proc/\(pid)/ns/pid", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func isZombie(_ pid: Int32) -> Bool {
        guard let bytes = try? readFile("/proc/\(pid)/stat", limit: 4096) else { return true }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        return text[text.index(after: close)...].dropFirst().first == "Z"
    }

    /// Polls `condition` every 20 ms until it holds or the deadline passes.
    func waitUntil(deadline: ContinuousClock.Instant, _ condition: () -> Bool) -> Bool {
        while true {
            if condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            var ts = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&ts, nil)
        }
    }

    /// Freezes every process of the container (runtime pause).
    public func pause(_ handle: String) throws(RundleError) {
        let record = try runnableRecord(handle)
        do { try runtime(for: record).pause(id: handle) } catch { throw wrap(error, handle: handle) }
    }

    public func resume(_ handle: String) throws(RundleError) {
        try Handle.validate(handle)
        let record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound { throw notFound(handle) }
        do { try runtime(for: record).resume(id: handle) } catch { throw wrap(error, handle: handle) }
    }
}
