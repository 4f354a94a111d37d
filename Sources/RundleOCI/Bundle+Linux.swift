import RundleJSON

extension Bundle {
    /// `linux.namespaces`.
    public var namespaces: [OCINamespace] {
        get { json.items(["linux", "namespaces"], OCINamespace.init(json:)) }
        set { json.setItems(["linux", "namespaces"], newValue.map(\.json)) }
    }

    /// Whether `linux.namespaces` lists a namespace of `type` ("user", "network", …).
    public func hasNamespace(_ type: String) -> Bool {
        namespaces.contains { $0.type == type }
    }

    /// Replaces the namespace of the same type in place, or appends it.
    public mutating func setNamespace(_ namespace: OCINamespace) {
        var list = namespaces
        if let index = list.firstIndex(where: { $0.type == namespace.type }) {
            list[index] = namespace
        } else {
            list.append(namespace)
        }
        namespaces = list
    }

    /// Removes every namespace of `type`.
    public mutating func removeNamespace(_ type: String) {
        namespaces = namespaces.filter { $0.type != type }
    }

    /// `linux.uidMappings` (only meaningful with a user namespace).
    public var uidMappings: [OCIIDMapping] {
        get { json.items(["linux", "uidMappings"], OCIIDMapping.init(json:)) }
        set { json.setItems(["linux", "uidMappings"], newValue.map(\.json)) }
    }

    /// `linux.gidMappings` (only meaningful with a user namespace).
    public var gidMappings: [OCIIDMapping] {
        get { json.items(["linux", "gidMappings"], OCIIDMapping.init(json:)) }
        set { json.setItems(["linux", "gidMappings"], newValue.map(\.json)) }
    }

    /// `linux.cgroupsPath`. On cgroup v1 runc nests a relative path under its caller's own cgroup.
    public var cgroupsPath: String? {
        get { json[path: ["linux", "cgroupsPath"]]?.stringValue }
        set { json.set(["linux", "cgroupsPath"], newValue.map { JSON($0) }) }
    }

    /// `linux.devices`: device nodes to create in the container (beyond the runtime's defaults).
    public var devices: [OCIDevice] {
        get { json.items(["linux", "devices"], OCIDevice.init(json:)) }
        set { json.setItems(["linux", "devices"], newValue.map(\.json)) }
    }

    /// `linux.resources.devices`: the device cgroup's allow/deny rules, in order.
    public var resourceDevices: [OCIDeviceRule] {
        get { json.items(["linux", "resources", "devices"], OCIDeviceRule.init(json:)) }
        set { json.setItems(["linux", "resources", "devices"], newValue.map(\.json)) }
    }

    /// `linux.maskedPaths`: paths the runtime hides (bind of /dev/null, or an empty read-only tmpfs).
    public var maskedPaths: [String] {
        get { json[path: ["linux", "maskedPaths"]]?.stringArrayValue ?? [] }
        set { json.setStrings(["linux", "maskedPaths"], newValue) }
    }

    /// `linux.readonlyPaths`: paths the runtime remounts read-only.
    public var readonlyPaths: [String] {
        get { json[path: ["linux", "readonlyPaths"]]?.stringArrayValue ?? [] }
        set { json.setStrings(["linux", "readonlyPaths"], newValue) }
    }

    /// `linux.rootfsPropagation`: "private", "slave", "shared", …
    public var rootfsPropagation: String? {
        get { json[path: ["linux", "rootfsPropagation"]]?.stringValue }
        set { json.set(["linux", "rootfsPropagation"], newValue.map { JSON($0) }) }
    }
}
