import RundleOS

/// Reads a container's metrics and OOM-kill counter from its cgroup files. The directories come
/// from `/proc/<init pid>/cgroup` (never assumed from names: crun and runc place cgroups
/// differently, and the host may nest them below its own cgroup). Works on cgroup v1, v2 and
/// hybrid hosts: per controller, a v1 hierarchy wins, else the unified directory is used when it
/// has the files.
public struct CgroupMetricsReader: Sendable {
    public let paths: CgroupPaths
    /// Reads a file of a cgroup directory; replaceable for tests.
    let read: @Sendable (_ directory: String, _ file: String) -> String?
    let clockTicks: UInt64

    public init(paths: CgroupPaths) {
        self.paths = paths
        self.read = { readCgroupFile($0, $1) }
        self.clockTicks = clockTicksPerSecond()
    }

    /// For tests: fixed file contents keyed by "<directory>/<file>".
    init(paths: CgroupPaths, files: [String: String], clockTicks: UInt64 = 100) {
        self.paths = paths
        self.read = { dir, file in files[dir + "/" + file] }
        self.clockTicks = clockTicks
    }

    /// The reader of the process `pid`'s cgroups, or nil when its /proc entry is gone.
    public static func forProcess(_ pid: Int32) -> CgroupMetricsReader? {
        guard let paths = try? cgroupPaths(pid: pid) else { return nil }
        return CgroupMetricsReader(paths: paths)
    }

    /// The directory and version that hold `file` for `controller`.
    private func locate(_ controller: String, _ v1File: String, _ v2File: String) -> (dir: String, version: Int)? {
        if let dir = paths.v1[controller], read(dir, v1File) != nil { return (dir, 1) }
        if let dir = paths.unified, read(dir, v2File) != nil { return (dir, 2) }
        return nil
    }

    // MARK: memory

    public func memory() -> MemoryMetrics? {
        if let dir = paths.v1["memory"], let usageText = read(dir, "memory.usage_in_bytes"), let usage = UInt64(usageText) {
            let raw = parseCgroupKeyValues(read(dir, "memory.stat") ?? "")
            var limit: UInt64? = nil
            if let text = read(dir, "memory.limit_in_bytes"), let n = UInt64(text), n < Self.v1Unlimited { limit = n }
            var swap: UInt64? = nil
            if let text = read(dir, "memory.memsw.usage_in_bytes"), let memsw = UInt64(text) { swap = memsw >= usage ? memsw - usage : 0 }
            var stat = raw
            if stat["swap"] == nil, let swap { stat["swap"] = swap }
            let total = Int64(clamping: raw["total_rss"] ?? 0) + Int64(clamping: raw["total_cache"] ?? 0)
                + Int64(clamping: raw["total_swap"] ?? 0) - Int64(clamping: raw["total_inactive_file"] ?? 0)
            return MemoryMetrics(cgroupVersion: 1, usageBytes: usage, limitBytes: limit, swapBytes: swap,
                                 stat: stat, totalUsageTowardLimit: UInt64(max(total, 0)))
        }
        if let dir = paths.unified, let usageText = read(dir, "memory.current"), let usage = UInt64(usageText) {
            let raw = parseCgroupKeyValues(read(dir, "memory.stat") ?? "")
            var limit: UInt64? = nil
            if case .value(let n) = CgroupValue(read(dir, "memory.max")) { limit = n }
            var swap: UInt64? = nil
            if case .value(let n) = CgroupValue(read(dir, "memory.swap.current")) { swap = n }
            let stat = Self.gardenMemoryStat(v2: raw, limit: limit, swap: swap, swapLimit: {
                if case .value(let n) = CgroupValue(read(dir, "memory.swap.max")) { return n } else { return nil }
            }())
            let total = Int64(clamping: raw["file"] ?? 0) + Int64(clamping: raw["anon"] ?? 0)
                + Int64(clamping: raw["swapcached"] ?? 0) - Int64(clamping: raw["inactive_file"] ?? 0)
            return MemoryMetrics(cgroupVersion: 2, usageBytes: usage, limitBytes: limit, swapBytes: swap,
                                 stat: stat, totalUsageTowardLimit: UInt64(max(total, 0)))
        }
        return nil
    }

    /// cgroup v1 reports "no limit" as LONG_MAX rounded down to a page (9223372036854771712).
    static let v1Unlimited: UInt64 = 0x7FFF_FFFF_FFFF_F000

    /// v2 memory.stat mapped onto Garden's (v1) MemoryStat names. v2 is hierarchical, so each
    /// `total_*` equals its plain key; cache = file, rss = anon, mapped_file = file_mapped;
    /// pgpgin/pgpgout have no v2 counterpart (absent ⇒ 0). The v2 keys themselves (anon, file,
    /// swapcached, …) are kept as well. Unlimited limits are reported as the v1 value
    /// 9223372036854771712, as Garden clients expect.
    static func gardenMemoryStat(v2 raw: [String: UInt64], limit: UInt64?, swap: UInt64?, swapLimit: UInt64?) -> [String: UInt64] {
        var stat = raw
        let mapped: [(String, String)] = [
            ("cache", "file"), ("rss", "anon"), ("mapped_file", "file_mapped"),
            ("active_anon", "active_anon"), ("inactive_anon", "inactive_anon"),
            ("active_file", "active_file"), ("inactive_file", "inactive_file"),
            ("unevictable", "unevictable"), ("pgfault", "pgfault"), ("pgmajfault", "pgmajfault"),
        ]
        for (garden, v2) in mapped {
            guard let value = raw[v2] else { continue }
            stat[garden] = value
            stat["total_" + garden] = value
        }
        stat["hierarchical_memory_limit"] = limit ?? v1Unlimited
        if let swap {
            stat["swap"] = swap
            stat["total_swap"] = swap
        }
        if let limit {
            // memsw = memory + swap; v2 keeps them apart.
            if let swapLimit { stat["hierarchical_memsw_limit"] = limit &+ swapLimit < limit ? v1Unlimited : limit + swapLimit } else { stat["hierarchical_memsw_limit"] = v1Unlimited }
        } else {
            stat["hierarchical_memsw_limit"] = v1Unlimited
        }
        return stat
    }

    // MARK: cpu

    public func cpu() -> CPUMetrics? {
        if let dir = paths.v1["cpuacct"], let usageText = read(dir, "cpuacct.usage"), let usage = UInt64(usageText) {
            let ticks = parseCgroupKeyValues(read(dir, "cpuacct.stat") ?? "")
            let nanosPerTick = 1_000_000_000 / max(clockTicks, 1)
            return CPUMetrics(usageNanos: usage, userNanos: (ticks["user"] ?? 0) &* nanosPerTick,
                              systemNanos: (ticks["system"] ?? 0) &* nanosPerTick)
        }
        if let dir = paths.unified, let text = read(dir, "cpu.stat") {
            let stat = parseCgroupKeyValues(text)
            guard let usage = stat["usage_usec"] else { return nil }
            return CPUMetrics(usageNanos: usage &* 1000, userNanos: (stat["user_usec"] ?? 0) &* 1000,
                              systemNanos: (stat["system_usec"] ?? 0) &* 1000)
        }
        return nil
    }

    // MARK: pids

    public func pids() -> PidMetrics? {
        guard let (dir, _) = locate("pids", "pids.current", "pids.current"),
              let current = read(dir, "pids.current").flatMap({ UInt64($0) }) else { return nil }
        var limit: UInt64? = nil
        if case .value(let n) = CgroupValue(read(dir, "pids.max")) { limit = n }
        return PidMetrics(current: current, limit: limit)
    }

    // MARK: OOM

    /// The kernel's count of OOM kills in the memory cgroup: v1 `memory.oom_control` field
    /// `oom_kill` (kernel ≥ 4.13), v2 `memory.events` field `oom_kill`. nil when unreadable.
    public func oomKillCount() -> UInt64? {
        if let dir = paths.v1["memory"], let text = read(dir, "memory.oom_control") {
            return parseCgroupKeyValues(text)["oom_kill"]
        }
        if let dir = paths.unified, let text = read(dir, "memory.events") {
            return parseCgroupKeyValues(text)["oom_kill"]
        }
        return nil
    }

    public func metrics(handle: String, ageNanos: Int64) -> ContainerMetrics {
        ContainerMetrics(handle: handle, ageNanos: ageNanos, memory: memory(), cpu: cpu(), pids: pids(), oomKills: oomKillCount())
    }
}
