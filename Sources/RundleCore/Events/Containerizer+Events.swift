import RundleOS

extension Containerizer {
    /// Every event of a container, oldest first. OOM kills the kernel counted since the last
    /// look are recorded first (see `OOMReconciler`), so an OOM that happened while no Rundle
    /// command ran is reported too. A container whose init is gone has no cgroup left to read:
    /// its recorded events are returned as they are.
    public func events(_ handle: String) throws(RundleError) -> [ContainerEvent] {
        let record = try committedRecord(handle)
        return try reconcileEvents(record, reader: liveReader(record))
    }

    /// The container's cgroup metrics (and, on the way, its OOM events reconciled).
    /// Throws `.notFound` for an unknown handle and `.invalidState` when the container is not
    /// running (its init exited, so its cgroups are gone): there is nothing to measure.
    public func metrics(_ handle: String) throws(RundleError) -> ContainerMetrics {
        let record = try committedRecord(handle)
        guard let reader = liveReader(record) else {
            throw RundleError(.invalidState, "container '\(handle)' is not running (its init has exited): no metrics to read", handle: handle)
        }
        _ = try reconcileEvents(record, reader: reader)
        let age = Self.nowNanos() - record.createdAtNanos
        return reader.metrics(handle: handle, ageNanos: max(age, 0))
    }

    func reconcileEvents(_ record: ContainerRecord, reader: CgroupMetricsReader?) throws(RundleError) -> [ContainerEvent] {
        let layout = depot.layout(record.handle)
        let store = EventStore(layout: layout)
        let reconciler = OOMReconciler(store: store, lockPath: layout.eventsLock, readCounter: { reader?.oomKillCount() })
        do {
            return try reconciler.reconcile()
        } catch {
            if !depot.exists(record.handle) { throw notFound(record.handle) }
            throw RundleError(.internal, "cannot record the events of container '\(record.handle)'", handle: record.handle, cause: error)
        }
    }

    /// A reader of the init's cgroups, checked after the paths were read so a reused pid is never
    /// taken for the init.
    func liveReader(_ record: ContainerRecord) -> CgroupMetricsReader? {
        guard initAlive(record), let pid = record.initPid, let reader = CgroupMetricsReader.forProcess(pid),
              initAlive(record) else { return nil }
        return reader
    }

    /// The record of a committed container, or `.notFound`.
    func committedRecord(_ handle: String) throws(RundleError) -> ContainerRecord {
        try Handle.validate(handle)
        guard depot.exists(handle) else { throw notFound(handle) }
        let record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound {
            throw RundleError(.notFound, "container '\(handle)' is half-created (an interrupted create); `rundle gc` removes it", handle: handle)
        }
        if record.status == .creating {
            throw RundleError(.notFound, "container '\(handle)' is still being created (or its create was interrupted)", handle: handle)
        }
        return record
    }
}

extension Containerizer {
    /// Whether the container exists and its init still runs (cheap: no runtime call).
    public func isRunning(_ handle: String) throws(RundleError) -> Bool {
        initAlive(try committedRecord(handle))
    }
}
