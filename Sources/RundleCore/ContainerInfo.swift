import RundleJSON

/// What `inspect` and `list` report about one container (Garden's Info, and more).
public struct ContainerInfo: Sendable {
    /// "creating", "running", "paused", "stopped" or "exited" (the init died outside Rundle).
    public var state: String
    public var record: ContainerRecord
    public var bundlePath: String
    public var rootfsPath: String
    /// The runtime's own status when it was asked (inspect), nil when not (list).
    public var runtimeStatus: String?
    /// Ids of the processes still running (inspect only).
    public var processIDs: [String] = []
    /// Recorded events (OOM kills), reconciled with the kernel's counters (inspect only).
    public var events: [ContainerEvent] = []

    public var handle: String { record.handle }

    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["handle"] = JSON(record.handle)
        o["state"] = JSON(state)
        if let runtimeStatus { o["runtimeStatus"] = JSON(runtimeStatus) }
        o["createdAt"] = JSON(record.createdAtNanos)
        o["created"] = JSON(Self.formatTime(record.createdAtNanos))
        if let pid = record.initPid { o["initPid"] = JSON(Int64(pid)) }
        o["privileged"] = JSON(record.spec.privileged)
        o["bundlePath"] = JSON(bundlePath)
        o["rootfs"] = JSON(rootfsPath)
        o["baseRootfs"] = JSON(record.spec.rootfs)
        o["runtime"] = JSON(record.runtime)
        o["runtimeRoot"] = JSON(record.runtimeRoot)
        o["processIDs"] = JSON(processIDs)
        o["events"] = .array(events.map { $0.json() })
        o["spec"] = record.spec.json()
        return o
    }
}

extension ContainerInfo {
    /// RFC 3339 in UTC with nanoseconds.
    public static func formatTime(_ nanos: Int64) -> String { RFC3339.format(nanos: nanos) }
}
