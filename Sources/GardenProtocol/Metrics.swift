import RundleJSON

/// Reply to `GET /containers/:handle/metrics` (Go's garden.Metrics, untagged keys). Memory, disk
/// and network stats are passed through as objects; the rest is typed.
public struct GardenMetrics: GardenBody, Hashable {
    /// Go's ContainerMemoryStat keys in its field order: cgroup memory.stat names, then
    /// `TotalUsageTowardLimit` (capitalised, computed), then the cgroup v2 extras.
    public static let memoryStatKeys: [String] = [
        "active_anon", "active_file", "cache", "hierarchical_memory_limit", "inactive_anon", "inactive_file",
        "mapped_file", "pgfault", "pgmajfault", "pgpgin", "pgpgout", "rss", "total_active_anon",
        "total_active_file", "total_cache", "total_inactive_anon", "total_inactive_file", "total_mapped_file",
        "total_pgfault", "total_pgmajfault", "total_pgpgin", "total_pgpgout", "total_rss", "total_unevictable",
        "unevictable", "swap", "hierarchical_memsw_limit", "total_swap", "TotalUsageTowardLimit", "anon", "file",
        "swapcached",
    ]

    /// Go's zero ContainerMemoryStat: every key present with 0.
    public static let zeroMemoryStat: JSON = .object(JSONObject(memoryStatKeys.map { ($0, JSON(UInt64(0))) }))

    /// Go's zero ContainerDiskStat.
    public static let zeroDiskStat: JSON = [
        "TotalBytesUsed": 0, "TotalInodesUsed": 0, "ExclusiveBytesUsed": 0, "ExclusiveInodesUsed": 0,
    ]

    /// `MemoryStat`, an object of uint64s (see `memoryStatKeys`), kept as given.
    public var memoryStat: JSON
    /// `CPUStat.Usage`, ns of CPU time.
    public var cpuUsage: UInt64
    /// `CPUStat.User`, ns.
    public var cpuUser: UInt64
    /// `CPUStat.System`, ns.
    public var cpuSystem: UInt64
    /// `DiskStat`, kept as given.
    public var diskStat: JSON
    /// `NetworkStat`: an object, or `null` (a nil pointer in Go) when there is no network.
    public var networkStat: JSON
    /// `PidStat.Current`.
    public var pidCurrent: UInt64
    /// `PidStat.Max` (0 = no limit).
    public var pidMax: UInt64
    /// `Age`: ns since the container was created (Go time.Duration).
    public var ageNanos: UInt64
    public var cpuEntitlement: UInt64

    /// Metrics with the given values; the defaults are Go's zero values.
    public init(
        memoryStat: JSON = GardenMetrics.zeroMemoryStat, cpuUsage: UInt64 = 0, cpuUser: UInt64 = 0,
        cpuSystem: UInt64 = 0, diskStat: JSON = GardenMetrics.zeroDiskStat, networkStat: JSON = .null,
        pidCurrent: UInt64 = 0, pidMax: UInt64 = 0, ageNanos: UInt64 = 0, cpuEntitlement: UInt64 = 0
    ) {
        self.memoryStat = memoryStat
        self.cpuUsage = cpuUsage
        self.cpuUser = cpuUser
        self.cpuSystem = cpuSystem
        self.diskStat = diskStat
        self.networkStat = networkStat
        self.pidCurrent = pidCurrent
        self.pidMax = pidMax
        self.ageNanos = ageNanos
        self.cpuEntitlement = cpuEntitlement
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("Metrics"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.Metrics")
        memoryStat = try fields.object("MemoryStat", goType: "garden.ContainerMemoryStat") ?? GardenMetrics.zeroMemoryStat
        let cpu = try fields.decode("CPUStat") { (value, path) throws(GardenDecodingError) in
            try JSONFields(value, at: path, goType: "garden.ContainerCPUStat")
        }
        cpuUsage = try cpu?.unsigned("Usage") ?? 0
        cpuUser = try cpu?.unsigned("User") ?? 0
        cpuSystem = try cpu?.unsigned("System") ?? 0
        diskStat = try fields.object("DiskStat", goType: "garden.ContainerDiskStat") ?? GardenMetrics.zeroDiskStat
        networkStat = try fields.object("NetworkStat", goType: "garden.ContainerNetworkStat") ?? .null
        let pid = try fields.decode("PidStat") { (value, path) throws(GardenDecodingError) in
            try JSONFields(value, at: path, goType: "garden.ContainerPidStat")
        }
        pidCurrent = try pid?.unsigned("Current") ?? 0
        pidMax = try pid?.unsigned("Max") ?? 0
        ageNanos = try fields.unsigned("Age", max: UInt64(Int64.max), goType: "time.Duration") ?? 0
        cpuEntitlement = try fields.unsigned("CPUEntitlement") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.always("MemoryStat", memoryStat)
        writer.always("CPUStat", ["Usage": JSON(cpuUsage), "User": JSON(cpuUser), "System": JSON(cpuSystem)])
        writer.always("DiskStat", diskStat)
        writer.always("NetworkStat", networkStat)
        writer.always("PidStat", ["Current": JSON(pidCurrent), "Max": JSON(pidMax)])
        writer.always("Age", JSON(ageNanos))
        writer.always("CPUEntitlement", JSON(cpuEntitlement))
        return writer.json
    }

    /// A `MemoryStat` value (e.g. `"TotalUsageTowardLimit"`), nil when absent or not a uint64.
    public func memoryStatValue(_ key: String) -> UInt64? {
        memoryStat[key]?.uint64Value
    }
}

extension JSONFields {
    /// An object member kept as sent (a pass-through stats object).
    func object(_ key: String, goType: String) throws(GardenDecodingError) -> JSON? {
        try decode(key) { (value, path) throws(GardenDecodingError) in
            guard case .object = value else { throw .mismatch(value, at: path, goType: goType) }
            return value
        }
    }
}
