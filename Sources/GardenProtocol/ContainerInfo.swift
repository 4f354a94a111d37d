import RundleJSON

/// A host port forwarded to a container port (Go's garden.PortMapping, untagged: `HostPort`, `ContainerPort`).
public struct PortMapping: GardenBody, Hashable {
    public var hostPort: UInt32
    public var containerPort: UInt32

    /// The mapping `hostPort` -> `containerPort`.
    public init(hostPort: UInt32, containerPort: UInt32) {
        self.hostPort = hostPort
        self.containerPort = containerPort
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("PortMapping"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.PortMapping")
        hostPort = UInt32(try fields.unsigned("HostPort", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
        containerPort = UInt32(try fields.unsigned("ContainerPort", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
    }

    public func json() -> JSON {
        ["HostPort": JSON(UInt64(hostPort)), "ContainerPort": JSON(UInt64(containerPort))]
    }
}

/// Reply to `GET /containers/:handle/info` (Go's garden.ContainerInfo: no tags, every key always written).
public struct GardenContainerInfo: GardenBody, Hashable {
    /// `"active"` or `"stopped"`.
    public var state: String
    /// Only ever `"Out of memory"` (the string Diego looks for).
    public var events: [String]
    /// Host side of the container's network link.
    public var hostIP: String
    public var containerIP: String
    public var containerIPv6: String
    public var externalIP: String
    /// The container's directory on the host.
    public var containerPath: String
    /// Running process ids.
    public var processIDs: [String]
    public var properties: [String: String]
    public var mappedPorts: [PortMapping]

    /// An info with the given fields; the defaults are Go's zero values.
    public init(
        state: String = "", events: [String] = [], hostIP: String = "", containerIP: String = "",
        containerIPv6: String = "", externalIP: String = "", containerPath: String = "",
        processIDs: [String] = [], properties: [String: String] = [:], mappedPorts: [PortMapping] = []
    ) {
        self.state = state
        self.events = events
        self.hostIP = hostIP
        self.containerIP = containerIP
        self.containerIPv6 = containerIPv6
        self.externalIP = externalIP
        self.containerPath = containerPath
        self.processIDs = processIDs
        self.properties = properties
        self.mappedPorts = mappedPorts
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("ContainerInfo"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.ContainerInfo")
        state = try fields.string("State") ?? ""
        events = try fields.stringArray("Events") ?? []
        hostIP = try fields.string("HostIP") ?? ""
        containerIP = try fields.string("ContainerIP") ?? ""
        containerIPv6 = try fields.string("ContainerIPv6") ?? ""
        externalIP = try fields.string("ExternalIP") ?? ""
        containerPath = try fields.string("ContainerPath") ?? ""
        processIDs = try fields.stringArray("ProcessIDs") ?? []
        properties = try fields.stringMap("Properties", goType: "garden.Properties") ?? [:]
        mappedPorts = try fields.decode("MappedPorts") { (value, path) throws(GardenDecodingError) in
            try GoValue.array(value, at: path, goType: "[]garden.PortMapping") { (element, path) throws(GardenDecodingError) in
                try PortMapping(json: element, at: path)
            }
        } ?? []
    }

    /// Empty lists are written as `[]` and empty properties as `{}` (a live container's info;
    /// Go clients read `[]` and `null` alike).
    public func json() -> JSON {
        var writer = JSONWriter()
        writer.always("State", .string(state))
        writer.always("Events", JSON(events))
        writer.always("HostIP", .string(hostIP))
        writer.always("ContainerIP", .string(containerIP))
        writer.always("ContainerIPv6", .string(containerIPv6))
        writer.always("ExternalIP", .string(externalIP))
        writer.always("ContainerPath", .string(containerPath))
        writer.always("ProcessIDs", JSON(processIDs))
        writer.always("Properties", .goStringMap(properties))
        writer.always("MappedPorts", .array(mappedPorts.map { $0.json() }))
        return writer.json
    }

    /// Go's zero ContainerInfo as encoding/json writes it (nil slices and map as `null`): the
    /// `Info` of a bulk entry that failed.
    public static let zeroValueJSON: JSON = [
        "State": "", "Events": nil, "HostIP": "", "ContainerIP": "", "ContainerIPv6": "", "ExternalIP": "",
        "ContainerPath": "", "ProcessIDs": nil, "Properties": nil, "MappedPorts": nil,
    ]
}
