import RundleJSON

/// Network rate limits (`rate`, `burst`, bytes per second); also the GET bandwidth response.
public struct BandwidthLimits: GardenBody, Hashable {
    public var rateInBytesPerSecond: UInt64
    public var burstRateInBytesPerSecond: UInt64

    /// Limits with the given values; zero means "not set".
    public init(rateInBytesPerSecond: UInt64 = 0, burstRateInBytesPerSecond: UInt64 = 0) {
        self.rateInBytesPerSecond = rateInBytesPerSecond
        self.burstRateInBytesPerSecond = burstRateInBytesPerSecond
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("BandwidthLimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.BandwidthLimits")
        rateInBytesPerSecond = try fields.unsigned("rate") ?? 0
        burstRateInBytesPerSecond = try fields.unsigned("burst") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("rate", rateInBytesPerSecond)
        writer.omitEmpty("burst", burstRateInBytesPerSecond)
        return writer.json
    }
}

/// CPU limits: `weight`, and the deprecated `limit_in_shares` (cgroup v2 GETs report cpu.weight there).
public struct CPULimits: GardenBody, Hashable {
    public var weight: UInt64
    public var limitInShares: UInt64

    /// Limits with the given values; zero means "not set".
    public init(weight: UInt64 = 0, limitInShares: UInt64 = 0) {
        self.weight = weight
        self.limitInShares = limitInShares
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("CPULimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.CPULimits")
        weight = try fields.unsigned("weight") ?? 0
        limitInShares = try fields.unsigned("limit_in_shares") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("weight", weight)
        writer.omitEmpty("limit_in_shares", limitInShares)
        return writer.json
    }
}

/// Disk quotas; `scope` 0 counts the rootfs too ("total"), 1 only the container's own writes.
public struct DiskLimits: GardenBody, Hashable {
    public var inodeSoft: UInt64
    public var inodeHard: UInt64
    public var byteSoft: UInt64
    public var byteHard: UInt64
    public var scope: UInt8

    /// Limits with the given values; zero means "not set".
    public init(inodeSoft: UInt64 = 0, inodeHard: UInt64 = 0, byteSoft: UInt64 = 0, byteHard: UInt64 = 0, scope: UInt8 = 0) {
        self.inodeSoft = inodeSoft
        self.inodeHard = inodeHard
        self.byteSoft = byteSoft
        self.byteHard = byteHard
        self.scope = scope
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("DiskLimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.DiskLimits")
        inodeSoft = try fields.unsigned("inode_soft") ?? 0
        inodeHard = try fields.unsigned("inode_hard") ?? 0
        byteSoft = try fields.unsigned("byte_soft") ?? 0
        byteHard = try fields.unsigned("byte_hard") ?? 0
        scope = UInt8(try fields.unsigned("scope", max: UInt64(UInt8.max), goType: "garden.DiskLimitScope") ?? 0)
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("inode_soft", inodeSoft)
        writer.omitEmpty("inode_hard", inodeHard)
        writer.omitEmpty("byte_soft", byteSoft)
        writer.omitEmpty("byte_hard", byteHard)
        writer.omitEmpty("scope", UInt64(scope))
        return writer.json
    }
}

/// Memory limit (`limit_in_bytes`).
public struct MemoryLimits: GardenBody, Hashable {
    public var limitInBytes: UInt64

    /// A limit of `limitInBytes`; zero means "not set".
    public init(limitInBytes: UInt64 = 0) { self.limitInBytes = limitInBytes }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("MemoryLimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.MemoryLimits")
        limitInBytes = try fields.unsigned("limit_in_bytes") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("limit_in_bytes", limitInBytes)
        return writer.json
    }
}

/// Maximum number of pids (`max`; 0 = unlimited).
public struct PidLimits: GardenBody, Hashable {
    public var max: UInt64

    /// A limit of `max` pids; zero means unlimited.
    public init(max: UInt64 = 0) { self.max = max }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("PidLimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.PidLimits")
        max = try fields.unsigned("max") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("max", max)
        return writer.json
    }
}

/// A container's limits at create; every sub-object is always written (Go ignores omitempty on structs).
public struct GardenLimits: GardenBody, Hashable {
    public var bandwidth: BandwidthLimits
    public var cpu: CPULimits
    public var disk: DiskLimits
    public var memory: MemoryLimits
    public var pid: PidLimits

    /// Limits with the given parts; the defaults set nothing.
    public init(
        bandwidth: BandwidthLimits = BandwidthLimits(), cpu: CPULimits = CPULimits(), disk: DiskLimits = DiskLimits(),
        memory: MemoryLimits = MemoryLimits(), pid: PidLimits = PidLimits()
    ) {
        self.bandwidth = bandwidth
        self.cpu = cpu
        self.disk = disk
        self.memory = memory
        self.pid = pid
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("Limits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.Limits")
        bandwidth = try fields.decode("bandwidth_limits") { (v, p) throws(GardenDecodingError) in try BandwidthLimits(json: v, at: p) } ?? BandwidthLimits()
        cpu = try fields.decode("cpu_limits") { (v, p) throws(GardenDecodingError) in try CPULimits(json: v, at: p) } ?? CPULimits()
        disk = try fields.decode("disk_limits") { (v, p) throws(GardenDecodingError) in try DiskLimits(json: v, at: p) } ?? DiskLimits()
        memory = try fields.decode("memory_limits") { (v, p) throws(GardenDecodingError) in try MemoryLimits(json: v, at: p) } ?? MemoryLimits()
        pid = try fields.decode("pid_limits") { (v, p) throws(GardenDecodingError) in try PidLimits(json: v, at: p) } ?? PidLimits()
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.always("bandwidth_limits", bandwidth.json())
        writer.always("cpu_limits", cpu.json())
        writer.always("disk_limits", disk.json())
        writer.always("memory_limits", memory.json())
        writer.always("pid_limits", pid.json())
        return writer.json
    }
}

/// Limits for one process run in its own image (a "pea"): `cpu_limits`, `memory_limits`, both always written.
public struct ProcessLimits: GardenBody, Hashable {
    public var cpu: CPULimits
    public var memory: MemoryLimits

    /// Limits with the given parts; the defaults set nothing.
    public init(cpu: CPULimits = CPULimits(), memory: MemoryLimits = MemoryLimits()) {
        self.cpu = cpu
        self.memory = memory
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("ProcessLimits"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.ProcessLimits")
        cpu = try fields.decode("cpu_limits") { (v, p) throws(GardenDecodingError) in try CPULimits(json: v, at: p) } ?? CPULimits()
        memory = try fields.decode("memory_limits") { (v, p) throws(GardenDecodingError) in try MemoryLimits(json: v, at: p) } ?? MemoryLimits()
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.always("cpu_limits", cpu.json())
        writer.always("memory_limits", memory.json())
        return writer.json
    }
}
