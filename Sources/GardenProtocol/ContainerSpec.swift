import RundleJSON

/// Body of `POST /containers` (Create). Keys as Go's garden.ContainerSpec; `image` and `limits`
/// are always written because Go ignores omitempty on struct fields.
public struct GardenContainerSpec: GardenBody, Hashable {
    /// Empty = the server picks one.
    public var handle: String
    /// `grace_time` as nanoseconds (Go time.Duration); 0 = the server's default.
    public var graceTimeNanos: UInt64
    /// Deprecated rootfs path/URI (gaol still sends it).
    public var rootfs: String
    public var image: ImageRef
    public var bindMounts: [GardenBindMount]
    /// `a.b.c.d/n`: a subnet to pick an address from, or a fixed address.
    public var network: String
    public var properties: [String: String]
    /// `K=V` entries for every process.
    public var env: [String]
    public var privileged: Bool
    public var limits: GardenLimits
    /// Egress rules, passed through as sent (`netout_rules`).
    public var netOutRules: [JSON]
    /// Port mappings at create (`netin`).
    public var netIn: [NetInRequest]

    /// A spec with only `handle` set.
    public init(handle: String = "") {
        self.handle = handle
        graceTimeNanos = 0
        rootfs = ""
        image = ImageRef()
        bindMounts = []
        network = ""
        properties = [:]
        env = []
        privileged = false
        limits = GardenLimits()
        netOutRules = []
        netIn = []
    }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("ContainerSpec"), goType: "garden.ContainerSpec")
        handle = try fields.string("handle") ?? ""
        graceTimeNanos = try fields.unsigned("grace_time", max: UInt64(Int64.max), goType: "time.Duration") ?? 0
        rootfs = try fields.string("rootfs") ?? ""
        image = try fields.decode("image") { (v, p) throws(GardenDecodingError) in try ImageRef(json: v, at: p) } ?? ImageRef()
        bindMounts = try fields.bindMounts("bind_mounts") ?? []
        network = try fields.string("network") ?? ""
        properties = try fields.stringMap("properties", goType: "garden.Properties") ?? [:]
        env = try fields.stringArray("env") ?? []
        privileged = try fields.bool("privileged") ?? false
        limits = try fields.decode("limits") { (v, p) throws(GardenDecodingError) in try GardenLimits(json: v, at: p) } ?? GardenLimits()
        netOutRules = try fields.decode("netout_rules") { (value, path) throws(GardenDecodingError) in
            try GoValue.array(value, at: path, goType: "[]garden.NetOutRule") { (rule, path) throws(GardenDecodingError) in
                // Kept raw, but it must at least be a rule object, as Go's decoder insists.
                guard rule.objectValue != nil || rule.isNull else {
                    throw .mismatch(rule, at: path, goType: "garden.NetOutRule")
                }
                return rule.isNull ? .object(JSONObject()) : rule
            }
        } ?? []
        netIn = try fields.decode("netin") { (value, path) throws(GardenDecodingError) in
            try GoValue.array(value, at: path, goType: "[]garden.NetIn") { (element, path) throws(GardenDecodingError) in
                // garden.NetIn has only the two ports; a `handle` inside it means nothing.
                var mapping = try NetInRequest(json: element, at: path, goType: "garden.NetIn")
                mapping.handle = ""
                return mapping
            }
        } ?? []
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("handle", handle)
        writer.omitEmpty("grace_time", graceTimeNanos)
        writer.omitEmpty("rootfs", rootfs)
        writer.always("image", image.json())
        writer.omitEmpty("bind_mounts", bindMounts.map { $0.json() })
        writer.omitEmpty("network", network)
        if !properties.isEmpty { writer.always("properties", .goStringMap(properties)) }
        writer.omitEmpty("env", env.map { JSON.string($0) })
        writer.omitEmpty("privileged", privileged)
        writer.always("limits", limits.json())
        writer.omitEmpty("netout_rules", netOutRules)
        writer.omitEmpty("netin", netIn.map { $0.specElementJSON() })
        return writer.json
    }
}
