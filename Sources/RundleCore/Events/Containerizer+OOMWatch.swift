import RundleOS

extension Containerizer {
    /// The host directory of the container's memory cgroup, for `OOMWatcher.watch`: on cgroup v1
    /// (and hybrid hosts) the `memory` controller's directory, on v2 the unified directory when it
    /// has `memory.events`. Found from the init's `/proc/<pid>/cgroup` and this process's mount
    /// table, as the metrics are, because runc nests containers below its caller's own cgroup.
    /// Throws `.notFound` for an unknown handle, `.invalidState` when the init has exited (its
    /// cgroup is gone with it) and `.unavailable` when no memory controller is mounted.
    public func memoryCgroupDirectory(_ handle: String) throws(RundleError) -> String {
        let record = try committedRecord(handle)
        guard let paths = liveReader(record)?.paths else {
            throw RundleError(.invalidState, "container '\(handle)' is not running (its init has exited): it has no memory cgroup", handle: handle)
        }
        // The same choice as the OOM counter's reader: a v1 memory hierarchy wins.
        if let directory = paths.v1["memory"] ?? paths.directory(controller: "memory", file: "memory.events") {
            return directory
        }
        throw RundleError(.unavailable, "container '\(handle)' has no memory cgroup this host mounts", handle: handle)
    }
}
