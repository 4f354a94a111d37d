import RundleJSON

/// `linux.resources` limits. Each is read and written through `JSONNumber`'s literal, so
/// values near 2^63 stay exact; `nil` removes the key (and `memory`, `cpu`, `pids` or
/// `resources` when it was their last member).
extension Bundle {
    /// `linux.resources.memory.limit`, bytes.
    public var memoryLimit: Int64? {
        get { json[path: Self.memory + ["limit"]]?.int64Value }
        set { json.set((Self.memory + ["limit"])[...], newValue.map { JSON($0) }) }
    }

    /// `linux.resources.memory.swap`: on cgroup v1 the memory+swap limit, bytes.
    public var memorySwap: Int64? {
        get { json[path: Self.memory + ["swap"]]?.int64Value }
        set { json.set((Self.memory + ["swap"])[...], newValue.map { JSON($0) }) }
    }

    /// `linux.resources.cpu.shares`.
    public var cpuShares: UInt64? {
        get { json[path: Self.cpu + ["shares"]]?.uint64Value }
        set { json.set((Self.cpu + ["shares"])[...], newValue.map { JSON($0) }) }
    }

    /// `linux.resources.cpu.quota`, microseconds per period.
    public var cpuQuota: Int64? {
        get { json[path: Self.cpu + ["quota"]]?.int64Value }
        set { json.set((Self.cpu + ["quota"])[...], newValue.map { JSON($0) }) }
    }

    /// `linux.resources.cpu.period`, microseconds.
    public var cpuPeriod: UInt64? {
        get { json[path: Self.cpu + ["period"]]?.uint64Value }
        set { json.set((Self.cpu + ["period"])[...], newValue.map { JSON($0) }) }
    }

    /// `linux.resources.pids.limit`.
    public var pidsLimit: Int64? {
        get { json[path: Self.pids + ["limit"]]?.int64Value }
        set { json.set((Self.pids + ["limit"])[...], newValue.map { JSON($0) }) }
    }

    private static let memory = ["linux", "resources", "memory"]
    private static let cpu = ["linux", "resources", "cpu"]
    private static let pids = ["linux", "resources", "pids"]
}
