import RundleJSON

/// A container's resource use as its cgroups report it (Garden's Metrics, without disk and
/// network). A part whose cgroup files cannot be read (controller not mounted, cgroup gone) is nil.
public struct ContainerMetrics: Sendable, Equatable {
    public var handle: String
    /// Nanoseconds since the container was created (its record's createdAt).
    public var ageNanos: Int64
    public var memory: MemoryMetrics?
    public var cpu: CPUMetrics?
    public var pids: PidMetrics?
    /// The kernel's count of OOM kills in the container's memory cgroup, when readable.
    public var oomKills: UInt64?

    public init(handle: String, ageNanos: Int64, memory: MemoryMetrics? = nil, cpu: CPUMetrics? = nil,
                pids: PidMetrics? = nil, oomKills: UInt64? = nil) {
        self.handle = handle
        self.ageNanos = ageNanos
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
        self.oomKills = oomKills
    }
}

public struct MemoryMetrics: Sendable, Equatable {
    /// 1 or 2: which cgroup version the numbers come from.
    public var cgroupVersion: Int
    /// v1 memory.usage_in_bytes, v2 memory.current.
    public var usageBytes: UInt64
    /// v1 memory.limit_in_bytes, v2 memory.max; nil when unlimited.
    public var limitBytes: UInt64?
    /// v1 memory.memsw.usage_in_bytes − usage, v2 memory.swap.current (nil when not available).
    public var swapBytes: UInt64?
    /// Garden's MemoryStat keys (v1 memory.stat names; v2 names mapped onto them, see
    /// `CgroupMetricsReader.gardenMemoryStat`), absent keys are 0 in the JSON.
    public var stat: [String: UInt64]
    /// Garden's TotalUsageTowardLimit: v1 total_rss + total_cache + total_swap − total_inactive_file,
    /// v2 file + anon + swapcached − inactive_file (floored at 0).
    public var totalUsageTowardLimit: UInt64

    public init(cgroupVersion: Int, usageBytes: UInt64, limitBytes: UInt64?, swapBytes: UInt64?,
                stat: [String: UInt64], totalUsageTowardLimit: UInt64) {
        self.cgroupVersion = cgroupVersion
        self.usageBytes = usageBytes
        self.limitBytes = limitBytes
        self.swapBytes = swapBytes
        self.stat = stat
        self.totalUsageTowardLimit = totalUsageTowardLimit
    }
}

/// CPU time in nanoseconds.
public struct CPUMetrics: Sendable, Equatable {
    public var usageNanos: UInt64
    public var userNanos: UInt64
    public var systemNanos: UInt64

    public init(usageNanos: UInt64, userNanos: UInt64, systemNanos: UInt64) {
        self.usageNanos = usageNanos
        self.userNanos = userNanos
        self.systemNanos = systemNanos
    }
}

public struct PidMetrics: Sendable, Equatable {
    public var current: UInt64
    /// nil when unlimited ("max").
    public var limit: UInt64?

    public init(current: UInt64, limit: UInt64?) {
        self.current = current
        self.limit = limit
    }
}

extension ContainerMetrics {
    /// Garden's MemoryStat keys, in Garden's order (the snake_case ones; TotalUsageTowardLimit is added separately).
    public static let gardenMemoryStatKeys = [
        "active_anon", "active_file", "cache", "hierarchical_memory_limit", "inactive_anon", "inactive_file",
        "mapped_file", "pgfault", "pgmajfault", "pgpgin", "pgpgout", "rss", "total_active_anon",
        "total_active_file", "total_cache", "total_inactive_anon", "total_inactive_file", "total_mapped_file",
        "total_pgfault", "total_pgmajfault", "total_pgpgin", "total_pgpgout", "total_rss", "total_unevictable",
        "unevictable", "swap", "hierarchical_memsw_limit", "total_swap",
    ]

    /// Garden's Metrics JSON (`MemoryStat`, `CPUStat`, `PidStat`, `Age`, `CPUEntitlement`; disk and
    /// network are zero / null: Rundle does not measure them). Missing parts are zeros, as Garden does.
    public func gardenJSON() -> JSON {
        var memoryStat = JSON.object(JSONObject())
        for key in Self.gardenMemoryStatKeys { memoryStat[key] = JSON(memory?.stat[key] ?? 0) }
        memoryStat["TotalUsageTowardLimit"] = JSON(memory?.totalUsageTowardLimit ?? 0)
        for key in ["anon", "file", "swapcached"] { memoryStat[key] = JSON(memory?.stat[key] ?? 0) }
        var o = JSON.object(JSONObject())
        o["MemoryStat"] = memoryStat
        o["CPUStat"] = ["Usage": JSON(cpu?.usageNanos ?? 0), "User": JSON(cpu?.userNanos ?? 0), "System": JSON(cpu?.systemNanos ?? 0)]
        o["DiskStat"] = ["TotalBytesUsed": 0, "TotalInodesUsed": 0, "ExclusiveBytesUsed": 0, "ExclusiveInodesUsed": 0]
        o["NetworkStat"] = .null
        o["PidStat"] = ["Current": JSON(pids?.current ?? 0), "Max": JSON(pids?.limit ?? 0)]
        o["Age"] = JSON(max(ageNanos, 0))
        o["CPUEntitlement"] = JSON(UInt64(0))
        return o
    }

    /// Rundle's own JSON (`rundle stats --json`): typed fields, nulls for what could not be read.
    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["handle"] = JSON(handle)
        o["age"] = JSON(ageNanos)
        if let memory {
            var m = JSON.object(JSONObject())
            m["cgroupVersion"] = JSON(memory.cgroupVersion)
            m["usage"] = JSON(memory.usageBytes)
            m["limit"] = memory.limitBytes.map { JSON($0) } ?? .null
            m["swap"] = memory.swapBytes.map { JSON($0) } ?? .null
            m["totalUsageTowardLimit"] = JSON(memory.totalUsageTowardLimit)
            var stat = JSON.object(JSONObject())
            for key in memory.stat.keys.sorted() { stat[key] = JSON(memory.stat[key]!) }
            m["stat"] = stat
            o["memory"] = m
        } else {
            o["memory"] = .null
        }
        o["cpu"] = cpu.map { ["usage": JSON($0.usageNanos), "user": JSON($0.userNanos), "system": JSON($0.systemNanos)] } ?? .null
        o["pids"] = pids.map { ["current": JSON($0.current), "limit": $0.limit.map { JSON($0) } ?? .null] } ?? .null
        o["oomKills"] = oomKills.map { JSON($0) } ?? .null
        o["garden"] = gardenJSON()
        return o
    }
}
