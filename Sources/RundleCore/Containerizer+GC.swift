import Glibc
import RundleJSON
import RundleKeeper
import RundleOS
import RundleRuntime

/// What `gc` found and did.
public struct GCReport: Sendable {
    /// Handles of half-made containers that were removed.
    public var removed: [String] = []
    /// Runtime containers in Rundle's runtime root with no depot entry, deleted.
    public var runtimeOrphans: [String] = []
    /// Lock files without a container, removed.
    public var staleLocks: [String] = []
    /// Processes (`handle/id`) whose keeper died before recording an exit: killed if still
    /// running, and recorded as `keeper-lost`.
    public var lostProcesses: [String] = []
    /// Failures, one sentence each; gc goes on past them.
    public var errors: [String] = []
}

extension Containerizer {
    /// Cleans what interrupted commands left: half-made containers whose creator is gone, runtime
    /// containers with no depot entry, and stale lock files. Never touches a committed container
    /// or one whose lock is held.
    public func gc() -> GCReport {
        var report = GCReport()
        for handle in depot.handles() {
            guard (try? halfMadeRecord(handle)).flatMap({ $0 }) != nil else { continue }
            do {
                if try collectAbandoned(handle) { report.removed.append(handle) }
            } catch {
                report.errors.append("\(handle): \(error)")
            }
        }
        for handle in depot.handles() {
            guard let record = try? depot.readRecord(handle), record.status != .creating else { continue }
            for id in collectLostProcesses(handle) { report.lostProcesses.append("\(handle)/\(id)") }
        }
        let runtime = configuredRuntime
        if isDirectory(runtime.root), let ids = try? runtime.list() {
            for id in ids where !depot.exists(id) {
                guard (try? Handle.validate(id)) != nil, let lock = try? depot.lock(id, blocking: false) else { continue }
                if !depot.exists(id) {
                    do {
                        try cleanUp(handle: id, record: nil)
                        report.runtimeOrphans.append(id)
                    } catch {
                        report.errors.append("\(id): \(error)")
                    }
                }
                lock.unlinkAndRelease()
            }
        }
        for handle in depot.orphanLocks() {
            guard let lock = try? depot.lock(handle, blocking: false) else { continue }
            if depot.exists(handle) { continue }
            lock.unlinkAndRelease()
            report.staleLocks.append(handle)
        }
        return report
    }

    /// Cleans a half-made container if nobody holds its lock; true when it was removed.
    func collectAbandoned(_ handle: String) throws(RundleError) -> Bool {
        guard let lock = try depot.lock(handle, blocking: false) else { return false }
        guard depot.exists(handle), let halfMade = try halfMadeRecord(handle) else { return false }
        try cleanUp(handle: handle, record: halfMade.record)
        lock.unlinkAndRelease()
        return true
    }

    /// `collectAbandoned` for callers that only want to know whether the entry is gone.
    func collectIfAbandoned(_ handle: String) -> Bool {
        (try? collectAbandoned(handle)) ?? false
    }
}

extension Containerizer {
    /// A process whose keeper died without writing exit.json would be silently orphaned: its
    /// output has nowhere to go and nobody will ever learn its exit. Kill it (only if it is still
    /// in this container's cgroup, so a recycled pid is never hit) and record that.
    func collectLostProcesses(_ handle: String) -> [String] {
        let root = depot.layout(handle).processes
        var lost: [String] = []
        for id in (try? listDirectory(root)) ?? [] {
            let dir = root + "/" + id
            guard KeeperLiveness.recorded(processDir: dir) != nil, !KeeperLiveness.isAlive(processDir: dir),
                  ExitRecord.read(processDir: dir) == nil else { continue }
            var signal: Int32?
            if let pid = readPidFile(ProcessDirLayout(directory: dir).pidPath), processInContainer(pid, handle: handle) {
                _ = try? sendSignal(pid, SIGKILL)
                _ = waitForProcessExit(pid, timeout: config.timeouts.kill)
                signal = SIGKILL
            }
            let record = ExitRecord(exitCode: signal == nil ? 255 : 128 + SIGKILL, signal: signal, exitedAt: Self.nowNanos(),
                                    error: "the keeper died before the process exited", kind: .keeperLost)
            if (try? record.write(processDir: dir)) != nil { lost.append(id) }
        }
        return lost
    }

    /// Whether `pid` runs in the cgroup Rundle gave `handle` (read from /proc/<pid>/cgroup).
    func processInContainer(_ pid: Int32, handle: String) -> Bool {
        guard let bytes = try? readFile("/proc/\(pid)/cgroup", limit: 1 << 16),
              let config = try? JSON.parse(try readFile(depot.layout(handle).configJSON, limit: 4 << 20)),
              let cgroupsPath = config[path: ["linux", "cgroupsPath"]]?.stringValue, !cgroupsPath.isEmpty
        else { return false }
        let needle = cgroupsPath.hasPrefix("/") ? cgroupsPath : "/" + cgroupsPath
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { $0.hasSuffix(needle) }
    }
}
