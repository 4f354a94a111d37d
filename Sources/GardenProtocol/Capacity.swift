import RundleJSON

/// Reply to `GET /capacity`; all four keys omitempty, and clients (GATS) want each > 0.
public struct GardenCapacity: GardenBody, Hashable {
    public var memoryInBytes: UInt64
    public var diskInBytes: UInt64
    public var schedulableDiskInBytes: UInt64
    public var maxContainers: UInt64

    /// A capacity report.
    public init(memoryInBytes: UInt64 = 0, diskInBytes: UInt64 = 0, schedulableDiskInBytes: UInt64 = 0, maxContainers: UInt64 = 0) {
        self.memoryInBytes = memoryInBytes
        self.diskInBytes = diskInBytes
        self.schedulableDiskInBytes = schedulableDiskInBytes
        self.maxContainers = maxContainers
    }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("Capacity"), goType: "garden.Capacity")
        memoryInBytes = try fields.unsigned("memory_in_bytes") ?? 0
        diskInBytes = try fields.unsigned("disk_in_bytes") ?? 0
        schedulableDiskInBytes = try fields.unsigned("schedulable_disk_in_bytes") ?? 0
        maxContainers = try fields.unsigned("max_containers") ?? 0
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("memory_in_bytes", memoryInBytes)
        writer.omitEmpty("disk_in_bytes", diskInBytes)
        writer.omitEmpty("schedulable_disk_in_bytes", schedulableDiskInBytes)
        writer.omitEmpty("max_containers", maxContainers)
        return writer.json
    }
}
