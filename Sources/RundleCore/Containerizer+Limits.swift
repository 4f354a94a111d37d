import RundleJSON
import RundleOCI
import RundleOS
import RundleRuntime

extension Containerizer {
    /// Applies new limits to the running container through the runtime, then records them in
    /// the depot (record and config.json). If the runtime or the kernel refuses, nothing is
    /// recorded and the old limits stay.
    public func updateLimits(_ handle: String, _ change: ResourceLimits) throws(RundleError) -> ResourceLimits {
        try Handle.validate(handle)
        for (name, value) in [("memory", change.memoryBytes), ("cpu quota", change.cpuQuota), ("pids", change.pids)] {
            if let value, value < 0 { throw RundleError(.invalidArgument, "the \(name) limit must not be negative", handle: handle) }
        }
        guard depot.exists(handle) else { throw notFound(handle) }
        guard let lock = try depot.lock(handle) else { throw RundleError(.internal, "lock unavailable") }
        var record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound { throw notFound(handle) }
        guard record.status != .creating else {
            throw RundleError(.invalidState, "container '\(handle)' is still being created", handle: handle)
        }
        var limits = record.spec.limits
        if let v = change.memoryBytes { limits.memoryBytes = v }
        if let v = change.cpuShares { limits.cpuShares = v }
        if let v = change.cpuQuota {
            limits.cpuQuota = v
            if limits.cpuPeriod == nil { limits.cpuPeriod = 100_000 }
        }
        if let v = change.cpuPeriod { limits.cpuPeriod = v }
        if let v = change.pids { limits.pids = v }

        var resources = JSON.object(JSONObject())
        if let v = change.memoryBytes {
            // swap = limit, as at create: no swap beyond the memory limit.
            resources["memory"] = ["limit": JSON(v), "swap": JSON(v)]
        }
        if change.cpuShares != nil || change.cpuQuota != nil || change.cpuPeriod != nil {
            var cpu = JSON.object(JSONObject())
            if let v = change.cpuShares { cpu["shares"] = JSON(v) }
            if let v = change.cpuQuota { cpu["quota"] = JSON(v) }
            if let v = limits.cpuPeriod, change.cpuQuota != nil || change.cpuPeriod != nil { cpu["period"] = JSON(v) }
            resources["cpu"] = cpu
        }
        if let v = change.pids { resources["pids"] = ["limit": JSON(v)] }
        do {
            try runtime(for: record).update(id: handle, resourcesJSON: resources.serializedBytes())
        } catch {
            throw wrap(error, handle: handle)
        }

        record.spec.limits = limits
        // The bundle follows, so it keeps describing the container as it runs.
        let layout = depot.layout(handle)
        if let bytes = try? readFile(layout.configJSON, limit: 4 << 20), var config = try? JSON.parse(bytes) {
            for (key, value) in resources.objectValue ?? JSONObject() {
                var merged = config[path: ["linux", "resources", key]] ?? JSON.object(JSONObject())
                for (k, v) in value.objectValue ?? JSONObject() { merged[k] = v }
                config[path: ["linux", "resources", key]] = merged
            }
            try? writeFileAtomically(layout.configJSON, config.serializedBytes(), mode: 0o600)
        }
        try depot.writeRecord(record)
        _ = consume lock
        return limits
    }

    /// The limits recorded for a container.
    public func limits(_ handle: String) throws(RundleError) -> ResourceLimits {
        try Handle.validate(handle)
        do { return try depot.readRecord(handle).spec.limits } catch where error.code == .notFound { throw notFound(handle) }
    }
}
