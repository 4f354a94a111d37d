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
