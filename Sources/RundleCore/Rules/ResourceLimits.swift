/// The cgroup limits the user asked for; `nil` (or 0, as in Garden) means no limit.
public struct ResourceLimits: Sendable, Hashable {
    /// Memory limit in bytes; swap is limited to the same value (no swap).
    public var memoryBytes: Int64?
    /// cgroup v1 `cpu.shares` (relative weight, 2…262144).
    public var cpuShares: UInt64?
    /// CFS quota in microseconds per `cpuPeriod`.
    public var cpuQuota: Int64?
    /// CFS period in microseconds; 100000 when only a quota is given.
    public var cpuPeriod: UInt64?
    /// Maximum number of tasks.
    public var pids: Int64?

    public init(memoryBytes: Int64? = nil, cpuShares: UInt64? = nil, cpuQuota: Int64? = nil,
                cpuPeriod: UInt64? = nil, pids: Int64? = nil) {
        self.memoryBytes = memoryBytes
        self.cpuShares = cpuShares
        self.cpuQuota = cpuQuota
        self.cpuPeriod = cpuPeriod
        self.pids = pids
    }
}
