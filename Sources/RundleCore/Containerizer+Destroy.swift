import Glibc
import RundleOS
import RundleRuntime

extension Containerizer {
    /// Garden's Destroy: kills every process (KILL to the init ends its pid namespace), deletes the
    /// runtime's container, unmounts the rootfs layer and removes the depot directory. If any step
    /// fails, the record stays so a later delete can retry; nothing is half-forgotten.
    public func destroy(_ handle: String) throws(RundleError) {
        try Handle.validate(handle)
        guard depot.exists(handle) else { throw notFound(handle) }
        guard let lock = try depot.lock(handle) else { throw RundleError(.internal, "lock unavailable") }
        guard depot.exists(handle) else {
            lock.unlinkAndRelease()
            throw notFound(handle)
        }
        let record: ContainerRecord?
        do {
            record = try depot.readRecord(handle)
        } catch where error.code == .notFound {
            record = nil  // a create that died before writing anything: nothing but directories
        }
        try cleanUp(handle: handle, record: record)
        lock.unlinkAndRelease()
    }

    func notFound(_ handle: String) -> RundleError {
        RundleError(.notFound, "container '\(handle)' does not exist", handle: handle)
    }

    /// The record of a container an interrupted create left behind, or nil when the container is
    /// committed. A directory without any record is half-made too (`record` nil inside).
    struct HalfMade { var record: ContainerRecord? }
    func halfMadeRecord(_ handle: String) throws(RundleError) -> HalfMade? {
        do {
            let record = try depot.readRecord(handle)
            return record.status == .creating ? HalfMade(record: record) : nil
        } catch where error.code == .notFound {
            return HalfMade(record: nil)
        } catch {
            throw RundleError(.alreadyExists, "container '\(handle)' exists but its record is unreadable; see \(depot.layout(handle).recordJSON)", handle: handle, cause: error)
        }
    }

    /// Tears a container down in the order that leaves nothing behind: init (and with it every
    /// process in its pid namespace), the runtime's state, the mounts, the directory.
    /// The caller holds the handle's lock.
    func cleanUp(handle: String, record: ContainerRecord?) throws(RundleError) {
        let layout = depot.layout(handle)
        let runtime = record.map { self.runtime(for: $0) } ?? configuredRuntime

        // Kill the init ourselves: `runc delete --force` would sleep 100 ms after its own KILL.
        var pid = record.flatMap { initAlive($0) ? $0.initPid : nil }
        if record?.initPid == nil, let state = try? runtime.state(id: handle), state.pid > 0 {
            pid = state.pid  // a create that died before recording the pid
        }
        if let pid {
            _ = try? sendSignal(pid, SIGKILL)
            if !waitForProcessExit(pid, timeout: config.timeouts.kill) {
                throw RundleError(.timeout, "the init (pid \(pid)) did not die within \(config.timeouts.kill) of SIGKILL (a process in D state?); the container is kept, retry the delete", handle: handle)
            }
        }
        // Every process died with the init's pid namespace; their keepers record the exits and leave.
        stopKeepers(layout)
        do {
            try runtime.delete(id: handle, force: false)
        } catch where error.kind == .containerNotFound {
            // never started, or already deleted by an earlier attempt
        } catch {
            do {
                try runtime.delete(id: handle, force: true)
            } catch where error.kind == .containerNotFound {
            } catch {
                throw wrap(error, handle: handle)
            }
        }

        // Mount order is lower, then rootfs; a create that died before recording a mount still
        // gets it unmounted.
        let recorded = record?.mounts ?? []
        let mounts = [layout.lower, layout.rootfs].filter { recorded.contains($0) || isMountPoint($0) }
        RootfsLayer(layout: layout).unmountAll(mounts)
        do {
            try removeTree(layout.containerDir)
        } catch {
            throw RundleError(.internal, "cannot remove \(layout.containerDir)", handle: handle, cause: error)
        }
    }
}
