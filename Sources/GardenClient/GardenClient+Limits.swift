import GardenProtocol

extension GardenClient {
    /// The container's bandwidth limits (`{}` when none).
    public func currentBandwidthLimits(_ handle: String) throws -> BandwidthLimits {
        try call(.currentBandwidthLimits, params: ["handle": handle], decoding: BandwidthLimits.self)
    }

    /// The container's CPU limits.
    public func currentCPULimits(_ handle: String) throws -> CPULimits {
        try call(.currentCPULimits, params: ["handle": handle], decoding: CPULimits.self)
    }

    /// The container's disk limits (`{}` when none).
    public func currentDiskLimits(_ handle: String) throws -> DiskLimits {
        try call(.currentDiskLimits, params: ["handle": handle], decoding: DiskLimits.self)
    }

    /// The container's memory limit.
    public func currentMemoryLimits(_ handle: String) throws -> MemoryLimits {
        try call(.currentMemoryLimits, params: ["handle": handle], decoding: MemoryLimits.self)
    }
}
