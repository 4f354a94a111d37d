import RundleJSON

/// Body of `POST /containers/:handle/net/in` (all omitempty; the path's handle wins over `handle`).
/// Port 0 means "allocate one" (host) or "same as the host port" (container).
public struct NetInRequest: GardenBody, Hashable {
    public var handle: String
    public var hostPort: UInt32
    public var containerPort: UInt32

    /// A request to map `hostPort` to `containerPort`.
    public init(handle: String = "", hostPort: UInt32 = 0, containerPort: UInt32 = 0) {
        self.handle = handle
        self.hostPort = hostPort
        self.containerPort = containerPort
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("NetInRequest"), goType: "transport.NetInRequest")
    }

    init(json: JSON, at path: FieldPath, goType: String) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: goType)
        handle = try fields.string("handle") ?? ""
        hostPort = UInt32(try fields.unsigned("host_port", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
        containerPort = UInt32(try fields.unsigned("container_port", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("handle", handle)
        writer.omitEmpty("host_port", UInt64(hostPort))
        writer.omitEmpty("container_port", UInt64(containerPort))
        return writer.json
    }

    /// The element form inside ContainerSpec's `netin` (Go's garden.NetIn): both ports always written.
    func specElementJSON() -> JSON {
        var writer = JSONWriter()
        writer.always("host_port", JSON(UInt64(hostPort)))
        writer.always("container_port", JSON(UInt64(containerPort)))
        return writer.json
    }
}

/// Reply to NetIn: the ports actually mapped.
public struct NetInResponse: GardenBody, Hashable {
    public var hostPort: UInt32
    public var containerPort: UInt32

    /// The mapping `hostPort` -> `containerPort`.
    public init(hostPort: UInt32 = 0, containerPort: UInt32 = 0) {
        self.hostPort = hostPort
        self.containerPort = containerPort
    }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("NetInResponse"), goType: "transport.NetInResponse")
        hostPort = UInt32(try fields.unsigned("host_port", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
        containerPort = UInt32(try fields.unsigned("container_port", max: UInt64(UInt32.max), goType: "uint32") ?? 0)
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("host_port", UInt64(hostPort))
        writer.omitEmpty("container_port", UInt64(containerPort))
        return writer.json
    }
}
