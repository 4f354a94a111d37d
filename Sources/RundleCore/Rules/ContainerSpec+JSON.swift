import RundleJSON

/// The depot form of a `ContainerSpec`:
///
/// ```json
/// {"handle": "h", "rootfs": "/var/lib/rootfs/busybox", "privileged": false,
///  "env": ["A=1"], "bindMounts": [{"source": "/s", "destination": "/d", "readOnly": true}],
///  "limits": {"memoryBytes": 67108864, "cpuShares": 512, "cpuQuota": 50000, "cpuPeriod": 100000, "pids": 100},
///  "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096}],
///  "properties": {"key": "value"}}
/// ```
///
/// Unset limits and empty lists are left out. Integers go through `JSONNumber` (exact to 2^64).
extension ContainerSpec {
    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["handle"] = JSON(handle)
        o["rootfs"] = JSON(rootfs)
        o["privileged"] = JSON(privileged)
        if !env.isEmpty { o["env"] = JSON(env) }
        if !bindMounts.isEmpty {
            o["bindMounts"] = .array(bindMounts.map {
                ["source": JSON($0.source), "destination": JSON($0.destination), "readOnly": JSON($0.readOnly)]
            })
        }
        var l = JSON.object(JSONObject())
        if let v = limits.memoryBytes { l["memoryBytes"] = JSON(v) }
        if let v = limits.cpuShares { l["cpuShares"] = JSON(v) }
        if let v = limits.cpuQuota { l["cpuQuota"] = JSON(v) }
        if let v = limits.cpuPeriod { l["cpuPeriod"] = JSON(v) }
        if let v = limits.pids { l["pids"] = JSON(v) }
        if l != .object(JSONObject()) { o["limits"] = l }
        if !rlimits.isEmpty {
            o["rlimits"] = .array(rlimits.map { ["type": JSON($0.type), "soft": JSON($0.soft), "hard": JSON($0.hard)] })
        }
        if !properties.isEmpty {
            var p = JSONObject()
            for property in properties { p[property.key] = JSON(property.value) }
            o["properties"] = .object(p)
        }
        return o
    }

    /// Reads the depot form; a missing `handle`/`rootfs` or a member of the wrong type is an
    /// `.invalidArgument` error naming the member. Unknown members are ignored.
    public init(json: JSON) throws(RundleError) {
        guard json.objectValue != nil else { throw Self.bad("the spec", "an object") }
        guard let handle = json["handle"]?.stringValue else { throw Self.bad("handle", "a string") }
        guard let rootfs = json["rootfs"]?.stringValue else { throw Self.bad("rootfs", "a string") }
        self.init(handle: handle, rootfs: rootfs)

        if let value = json["privileged"] {
            guard let flag = value.boolValue else { throw Self.bad("privileged", "a boolean") }
            privileged = flag
        }
        if let value = json["env"] {
            guard let strings = value.stringArrayValue else { throw Self.bad("env", "a list of strings") }
            env = strings
        }
        if let value = json["bindMounts"] {
            guard let array = value.arrayValue else { throw Self.bad("bindMounts", "a list") }
            for element in array {
                guard let source = element["source"]?.stringValue,
                      let destination = element["destination"]?.stringValue
                else { throw Self.bad("bindMounts", "a list of {source, destination, readOnly}") }
                let readOnly = element["readOnly"]?.boolValue ?? false
                bindMounts.append(BindMount(source: source, destination: destination, readOnly: readOnly))
            }
        }
        if let value = json["limits"] {
            guard value.objectValue != nil else { throw Self.bad("limits", "an object") }
            limits.memoryBytes = try Self.integer(value, "memoryBytes", \.int64Value)
            limits.cpuShares = try Self.integer(value, "cpuShares", \.uint64Value)
            limits.cpuQuota = try Self.integer(value, "cpuQuota", \.int64Value)
            limits.cpuPeriod = try Self.integer(value, "cpuPeriod", \.uint64Value)
            limits.pids = try Self.integer(value, "pids", \.int64Value)
        }
        if let value = json["rlimits"] {
            guard let array = value.arrayValue else { throw Self.bad("rlimits", "a list") }
            for element in array {
                guard let type = element["type"]?.stringValue,
                      let soft = element["soft"]?.uint64Value, let hard = element["hard"]?.uint64Value
                else { throw Self.bad("rlimits", "a list of {type, soft, hard}") }
                rlimits.append(Rlimit(type: type, soft: soft, hard: hard))
            }
        }
        if let value = json["properties"] {
            guard let object = value.objectValue else { throw Self.bad("properties", "an object of strings") }
            for (key, member) in object {
                guard let text = member.stringValue else { throw Self.bad("properties", "an object of strings") }
                properties.append(Property(key: key, value: text))
            }
        }
    }

    private static func integer<T>(_ object: JSON, _ key: String, _ read: (JSON) -> T?) throws(RundleError) -> T? {
        guard let value = object[key] else { return nil }
        guard let number = read(value) else { throw bad("limits.\(key)", "an integer in range") }
        return number
    }

    private static func bad(_ member: String, _ expected: String) -> RundleError {
        RundleError(.invalidArgument, "container spec: \(member) must be \(expected)")
    }
}
