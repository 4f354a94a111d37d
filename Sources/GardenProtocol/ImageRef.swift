import RundleJSON

/// Where a container's (or a pea's) root filesystem comes from; empty = the server's default.
/// Always written, as `{}` when empty, because Go ignores omitempty on struct fields.
public struct ImageRef: GardenBody, Hashable {
    public var uri: String
    public var username: String
    public var password: String

    /// A reference to `uri` (a path, `raw://PATH` or `docker://...`), with optional registry credentials.
    public init(uri: String = "", username: String = "", password: String = "") {
        self.uri = uri
        self.username = username
        self.password = password
    }

    /// True when nothing is set: use the default rootfs (for a process: run in the container's).
    public var isEmpty: Bool { uri.isEmpty && username.isEmpty && password.isEmpty }

    public init(json: JSON) throws(GardenDecodingError) {
        try self.init(json: json, at: FieldPath("ImageRef"))
    }

    init(json: JSON, at path: FieldPath) throws(GardenDecodingError) {
        let fields = try JSONFields(json, at: path, goType: "garden.ImageRef")
        uri = try fields.string("uri") ?? ""
        username = try fields.string("username") ?? ""
        password = try fields.string("password") ?? ""
    }

    public func json() -> JSON {
        var writer = JSONWriter()
        writer.omitEmpty("uri", uri)
        writer.omitEmpty("username", username)
        writer.omitEmpty("password", password)
        return writer.json
    }
}
