import RundleJSON

extension Bundle {
    /// The `process` object as its own view; `processArgs` and friends read and write through it.
    /// Writing back an empty process to a bundle that had none adds nothing.
    public var process: OCIProcess {
        get { OCIProcess(json: json["process"] ?? .object(JSONObject())) }
        set {
            if json["process"] == nil, newValue.json == .object(JSONObject()) { return }
            json.set(["process"], newValue.json)
        }
    }

    /// `process.args`.
    public var processArgs: [String] {
        get { process.args }
        set { process.args = newValue }
    }

    /// `process.env`: "KEY=value" entries.
    public var processEnv: [String] {
        get { process.env }
        set { process.env = newValue }
    }

    /// `process.cwd`.
    public var processCwd: String? {
        get { process.cwd }
        set { process.cwd = newValue }
    }

    /// `process.user`.
    public var processUser: OCIUser? {
        get { process.user }
        set { process.user = newValue }
    }

    /// `process.terminal`.
    public var processTerminal: Bool {
        get { process.terminal }
        set { process.terminal = newValue }
    }

    /// `process.capabilities`.
    public var processCapabilities: OCICapabilities? {
        get { process.capabilities }
        set { process.capabilities = newValue }
    }

    /// `process.rlimits`.
    public var processRlimits: [OCIRlimit] {
        get { process.rlimits }
        set { process.rlimits = newValue }
    }

    /// `process.noNewPrivileges`.
    public var processNoNewPrivileges: Bool {
        get { process.noNewPrivileges }
        set { process.noNewPrivileges = newValue }
    }
}
