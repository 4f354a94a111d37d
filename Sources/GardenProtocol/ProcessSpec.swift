import RundleJSON

/// Body of `POST /containers/:handle/processes` (Run). Keys as Go's garden.ProcessSpec;
/// `rlimits` and `image` are always written (struct fields), `limits` and `tty` only when set.
public struct GardenProcessSpec: GardenBody, Hashable {
    /// The rlimit names Garden knows, in Go's field order (which is also the encoding order).
    public static let rlimitNames: [String] = [
        "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile",
        "nproc", "rss", "rtprio", "sigpending", "stack",
    ]

    /// Empty = the server generates one.
    public var id: String
    /// The executable; a bare name is looked up in `PATH`.
    public var path: String
    public var args: [String]
    /// `K=V` entries applied after the container's.
    public var env: [String]
    /// Working directory; empty = the user's home.
    public var dir: String
    /// `name`, `uid:gid` or `user:group`; empty = root.
    public var user: String
    /// Soft = hard limit per name in `rlimitNames`; other names are not part of the protocol and are not written.
    public var rlimits: [String: UInt64]
    /// Limits for a pea (only meaningful with `image`).
    public var limits: ProcessLimits?
    /// Present (even empty) = run with a pty.
    public var tty: TTYSpec?
    /// Non-empty = run in its own root filesystem (a "pea").
    public var image: ImageRef
    /// Only allowed together with `image`.
    public var bindMounts: [GardenBindMount]

    /// A spec that runs `path` with `args` as root with pipes.
    public init(path: String, args: [String] = []) {
        id = ""
        self.path = path
        self.args = args
        env = []
        dir = ""
        user = ""
        rlimits = [:]
        limits = nil
        tty = nil
        image = ImageRef()
        bindMounts = []
    }

    public init(json: JSON) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: FieldPath("ProcessSpec"), goType: "garden.ProcessSpec")
        id = try fields.string("id") ?? ""
        path = try fields.string("path") ?? ""
        args = try fields.stringArray("args") ?? []
        env = try fields.stringArray("env") ?? []
        dir = try fields.string("dir") ?? ""
        user = try fields.string("user") ?? ""
        rlimits = try fields.decode("rlimits") { (value, path) throws(GardenDecodingError) in
            let limits = try JSONFields(value, at: path, goType: "garden.ResourceLimits")
            var out: [String: UInt64] = [:]
            for name in GardenProcessSpec.rlimitNames {
                if let limit = try limits.unsigned(name) { out[name] = limit }
            }
            return out
        } ?? [:]
        limits = try fields.decode("limits") { (v, p) throws(GardenDecodingError) in try ProcessLimits(json: v, at: p) }
        tty = try fields.decode("tty") { (v, p) throws(GardenDecodingError) in try TTYSpec(json: v, at: p) }
        image = try fields.decode("image") { (v, p) throws(GardenDecodingError) in try ImageRef(json: v, at: p) } ?? ImageRef()
        bindMounts = try fields.bindMounts("bind_mounts") ?? []
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("id", id)
        writer.omitEmpty("path", path)
        writer.omitEmpty("args", args.map { JSON.string($0) })
        writer.omitEmpty("env", env.map { JSON.string($0) })
        writer.omitEmpty("dir", dir)
        writer.omitEmpty("user", user)
        // Each rlimit is a *uint64 with omitempty in Go: written whenever set, even as 0.
        var rlimitWriter = JSONWriter()
        for name in GardenProcessSpec.rlimitNames {
            rlimitWriter.ifPresent(name, rlimits[name].map { JSON($0) })
        }
        writer.always("rlimits", rlimitWriter.json)
        writer.ifPresent("limits", limits?.json())
        writer.ifPresent("tty", tty?.json())
        writer.always("image", image.json())
        writer.omitEmpty("bind_mounts", bindMounts.map { $0.json() })
        return writer.json
    }
}
