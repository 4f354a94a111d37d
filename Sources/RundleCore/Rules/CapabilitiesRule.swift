import RundleOCI

/// `process.capabilities`: bounding = effective = inheritable = permitted, no ambient.
///
/// - Unprivileged: Guardian's 14 (`unprivilegedSet`). Not filtered by the host: a process in a
///   new user namespace starts with a full bounding set in it (the kernel resets it), so runc can
///   grant any of them there — checked with runc 1.1.5 on this host, where CAP_SYS_RESOURCE, which
///   root lacks, is granted inside a user namespace.
/// - Privileged: Guardian's 38 (`privilegedSet`), intersected with `context.hostCapabilities`
///   when that is known. Without a user namespace runc's capset(2) cannot grant a capability
///   outside its own bounding set and fails with "unable to apply caps: operation not permitted"
///   (it only warns about names the kernel does not know). Root on this host lacks
///   CAP_SYS_RESOURCE, so privileged containers here get 37.
///   Guardian gives privileged containers no effective set; Rundle sets effective = bounding so
///   the container's root can use its capabilities after exec as root normally can.
public struct CapabilitiesRule: BundleRule {
    /// Guardian's unprivileged set, in Guardian's order.
    public static let unprivilegedSet = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// Guardian's privileged set (38).
    public static let privilegedSet = [
        "CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE", "CAP_BLOCK_SUSPEND", "CAP_CHOWN",
        "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_KILL", "CAP_LEASE", "CAP_LINUX_IMMUTABLE", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD",
        "CAP_NET_ADMIN", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETFCAP",
        "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_MODULE",
        "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    ]

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        let caps = Self.capabilities(privileged: spec.privileged, host: context.hostCapabilities)
        var bundle = bundle
        bundle.processCapabilities = OCICapabilities(bounding: caps, effective: caps, inheritable: caps, permitted: caps)
        return bundle
    }

    /// The set for a container of this kind on a host whose runtime holds `host` (nil: unknown).
    public static func capabilities(privileged: Bool, host: Set<String>?) -> [String] {
        guard privileged else { return unprivilegedSet }
        guard let host else { return privilegedSet }
        return privilegedSet.filter { host.contains($0) }
    }
}
