import RundleJSON

/// A typed view over an OCI `process` object: the container's init in `config.json`, or on its
/// own the JSON that `runc exec --process <file>` reads.
///
/// Same conventions as `Bundle`: fields not modelled here (`consoleSize`, `apparmorProfile`,
/// `oomScoreAdj`, …) are kept untouched; `nil` and `[]` remove keys.
public struct OCIProcess: Sendable, Hashable {
    /// The whole `process` object.
    public var json: JSON

    public init(json: JSON) {
        self.json = json
    }

    /// `{}`: start of a bare process spec for `runc exec --process`.
    public static let empty = OCIProcess(json: .object(JSONObject()))

    /// `args`: the executable and its arguments.
    public var args: [String] {
        get { json["args"]?.stringArrayValue ?? [] }
        set { json.setStrings(["args"], newValue) }
    }

    /// `env`: "KEY=value" entries, in order.
    public var env: [String] {
        get { json["env"]?.stringArrayValue ?? [] }
        set { json.setStrings(["env"], newValue) }
    }

    /// `cwd`: absolute working directory.
    public var cwd: String? {
        get { json["cwd"]?.stringValue }
        set { json.set(["cwd"], newValue.map { JSON($0) }) }
    }

    /// `user`: uid, gid, additional gids (plus any other member, kept).
    public var user: OCIUser? {
        get { json["user"].flatMap(OCIUser.init(json:)) }
        set { json.set(["user"], newValue?.json) }
    }

    /// `terminal`; absent reads as `false`. Always written.
    public var terminal: Bool {
        get { json["terminal"]?.boolValue ?? false }
        set { json.set(["terminal"], JSON(newValue)) }
    }

    /// `capabilities`: the five sets.
    public var capabilities: OCICapabilities? {
        get { json["capabilities"].flatMap(OCICapabilities.init(json:)) }
        set { json.set(["capabilities"], newValue?.json) }
    }

    /// `rlimits`: `[{type, hard, soft}]`.
    public var rlimits: [OCIRlimit] {
        get { json.items(["rlimits"], OCIRlimit.init(json:)) }
        set { json.setItems(["rlimits"], newValue.map(\.json)) }
    }

    /// `noNewPrivileges`; absent reads as `false`. Always written.
    public var noNewPrivileges: Bool {
        get { json["noNewPrivileges"]?.boolValue ?? false }
        set { json.set(["noNewPrivileges"], JSON(newValue)) }
    }
}
