import RundleJSON

/// Whether a bind mount is read-only (Garden's default, 0) or read-write (1).
public enum BindMountMode: UInt8, Sendable, Hashable, CaseIterable {
    case readOnly = 0
    case readWrite = 1
}

/// Whether a bind mount's source is a host path (default, 0) or a path inside the container (1).
public enum BindMountOrigin: UInt8, Sendable, Hashable, CaseIterable {
    case host = 0
    case container = 1
}

/// One bind mount of a ContainerSpec or ProcessSpec: `src_path`, `dst_path`, `mode`, `origin`, all omitempty.
public struct GardenBindMount: GardenBody, Hashable {
    public var srcPath: String
    public var dstPath: String
    public var mode: BindMountMode
    public var origin: BindMountOrigin

    /// A mount of `srcPath` at `dstPath`; read-only from the host unless told otherwise.
    public init(srcPath: String, dstPath: String, mode: BindMountMode = .readOnly, origin: BindMountOrigin = .host) {
        self.srcPath = srcPath
        self.dstPath = dstPath
        self.mode = mode
        self.origin = origin
    }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("BindMount"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.BindMount")
        srcPath = try fields.string("src_path") ?? ""
        dstPath = try fields.string("dst_path") ?? ""
        // Go takes any uint8 here; a value that is neither mode is refused now rather than
        // silently treated as one of them later.
        let rawMode = try fields.unsigned("mode", max: UInt64(UInt8.max), goType: "garden.BindMountMode") ?? 0
        guard let mode = BindMountMode(rawValue: UInt8(rawMode)) else {
            throw GardenDecodingError("invalid bind mount mode \(rawMode) in \(path.appending("mode").target) (0 = read-only, 1 = read-write)")
        }
        let rawOrigin = try fields.unsigned("origin", max: UInt64(UInt8.max), goType: "garden.BindMountOrigin") ?? 0
        guard let origin = BindMountOrigin(rawValue: UInt8(rawOrigin)) else {
            throw GardenDecodingError("invalid bind mount origin \(rawOrigin) in \(path.appending("origin").target) (0 = host, 1 = container)")
        }
        self.mode = mode
        self.origin = origin
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("src_path", srcPath)
        writer.omitEmpty("dst_path", dstPath)
        writer.omitEmpty("mode", UInt64(mode.rawValue))
        writer.omitEmpty("origin", UInt64(origin.rawValue))
        return writer.json
    }
}

extension JSONFields {
    /// A `[]garden.BindMount` member.
    func bindMounts(_ key: String) throws(GardenDecodingError) -> [GardenBindMount]? {
        try decode(key) { (value, path) throws(GardenDecodingError) in
            try GoValue.array(value, at: path, goType: "[]garden.BindMount") { (element, path) throws(GardenDecodingError) in
                try GardenBindMount(json: element, at: path)
            }
        }
    }
}
