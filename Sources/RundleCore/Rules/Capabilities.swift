/// Linux capability names and numbers, for reading a bounding set from /proc.
public enum Capabilities {
    /// Capability names by number (linux/capability.h, up to CAP_CHECKPOINT_RESTORE = 40).
    public static let names: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// The names of the bits set in `mask`; bits beyond the known names are ignored.
    public static func names(mask: UInt64) -> Set<String> {
        var out: Set<String> = []
        for (bit, name) in names.enumerated() where mask & (UInt64(1) << UInt64(bit)) != 0 {
            out.insert(name)
        }
        return out
    }

    /// The `CapBnd:` line of a /proc/<pid>/status text, as names; `nil` if there is none.
    /// This host's root, for instance, shows 000001fffeffffff: everything but CAP_SYS_RESOURCE.
    public static func boundingSet(procStatus: String) -> Set<String>? {
        for line in procStatus.split(separator: "\n") where line.hasPrefix("CapBnd:") {
            let hex = line.dropFirst("CapBnd:".count).filter { !$0.isWhitespace }
            guard let mask = UInt64(hex, radix: 16) else { return nil }
            return names(mask: mask)
        }
        return nil
    }
}
