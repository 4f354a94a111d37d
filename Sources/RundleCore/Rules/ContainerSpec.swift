/// What the user asked for: the desired spec, persisted in the depot's `container.json` and the
/// only input (with a `BundleContext`) of `BundleTemplate.generate`.
public struct ContainerSpec: Sendable, Hashable {
    public var handle: String
    /// The base rootfs as given (absolute); the container's root is an overlay on top of it.
    public var rootfs: String
    /// "KEY=value" entries, overriding same-named entries of the base environment.
    public var env: [String]
    public var bindMounts: [BindMount]
    public var limits: ResourceLimits
    /// No user namespace, the wide capability set, no masked paths.
    public var privileged: Bool
    public var rlimits: [Rlimit]
    /// Garden properties, in the order they were set; keys are unique (see `setProperty`).
    public var properties: [Property]

    public init(handle: String, rootfs: String, env: [String] = [], bindMounts: [BindMount] = [],
                limits: ResourceLimits = ResourceLimits(), privileged: Bool = false, rlimits: [Rlimit] = [],
                properties: [Property] = []) {
        self.handle = handle
        self.rootfs = rootfs
        self.env = env
        self.bindMounts = bindMounts
        self.limits = limits
        self.privileged = privileged
        self.rlimits = rlimits
        self.properties = properties
    }

    /// The value of property `key`, if set.
    public func property(_ key: String) -> String? {
        properties.first { $0.key == key }?.value
    }

    /// Sets property `key`, in place if it exists, else at the end.
    public mutating func setProperty(_ key: String, _ value: String) {
        if let index = properties.firstIndex(where: { $0.key == key }) {
            properties[index].value = value
        } else {
            properties.append(Property(key: key, value: value))
        }
    }

    /// Removes property `key`; returns whether it was set.
    @discardableResult
    public mutating func removeProperty(_ key: String) -> Bool {
        guard let index = properties.firstIndex(where: { $0.key == key }) else { return false }
        properties.remove(at: index)
        return true
    }
}
