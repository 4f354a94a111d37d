import RundleJSON
import RundleOCI

/// The bundle each generation starts from, one per kind of container (Guardian's base bundles).
///
/// The standard bases hold only what no rule owns: `ociVersion`, the namespaces, root propagation
/// and a default open-files limit. Everything that depends on the spec or the host — root, mounts,
/// capabilities, masked paths, ids, limits — is a rule's (see `BundleTemplate.standardRules`), so
/// each fact has one home. A custom base may carry anything else (annotations, hooks, a seccomp
/// profile): the rules keep fields they do not own.
public struct BaseBundle: Sendable, Hashable {
    public var privileged: Bundle
    public var unprivileged: Bundle

    public init(privileged: Bundle, unprivileged: Bundle) {
        self.privileged = privileged
        self.unprivileged = unprivileged
    }

    /// The base for `spec.privileged`.
    public func bundle(privileged isPrivileged: Bool) -> Bundle {
        isPrivileged ? privileged : unprivileged
    }

    /// Namespaces of every container: pid, ipc, uts, mount and network (runc gives a new network
    /// namespace only a loopback device). No cgroup namespace, as in Guardian: on this cgroup v1
    /// host nothing inside needs its own cgroup view. Unprivileged containers add `user`
    /// (`NamespacesRule` enforces it and writes the id mappings).
    public static let commonNamespaces: [OCINamespace] = ["pid", "ipc", "uts", "mount", "network"].map {
        OCINamespace(type: $0)
    }

    /// `RLIMIT_NOFILE` soft 1024, hard 4096 for every process unless the spec says otherwise.
    /// Without a default the container would inherit whatever the caller had (1024 from a shell,
    /// 524288 under systemd), so behaviour would depend on how Rundle was started. 1024 soft keeps
    /// select(2)-based programs safe; the hard limit stays below this host's 20000, because root
    /// here lacks CAP_SYS_RESOURCE and runc fails ("error setting rlimit type 7: operation not
    /// permitted") when asked to raise a hard limit above the caller's.
    public static let defaultRlimits = [OCIRlimit(type: "RLIMIT_NOFILE", hard: 4096, soft: 1024)]

    /// The standard privileged and unprivileged bases.
    public static let standard: BaseBundle = {
        var common = Bundle.empty
        common.ociVersion = "1.0.2"
        common.processRlimits = defaultRlimits
        common.namespaces = commonNamespaces
        common.rootfsPropagation = "private"
        var unprivileged = common
        unprivileged.setNamespace(OCINamespace(type: "user"))
        return BaseBundle(privileged: common, unprivileged: unprivileged)
    }()
}
