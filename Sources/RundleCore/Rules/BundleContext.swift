import Glibc
import RundleOCI
import RundleOS

/// A uid/gid mapping of an unprivileged container (the same list is used for uids and gids).
public typealias IDMapping = OCIIDMapping

/// Where things are on this host for one container, and the few facts about the host that rules
/// need. Everything that would otherwise be I/O (does a path exist, how is it mounted, which
/// capabilities does the caller hold) is an injected value or closure, so every rule stays a
/// pure function, unit-tested without root. The defaults ask the real host.
public struct BundleContext: Sendable {
    /// Where the init binary appears inside every container. A dot-directory at the root keeps it
    /// out of the way of images' own files (Guardian used `/tmp/garden-init`, which a tmpfs on
    /// `/tmp` would hide); runc creates `/.rundle` and the file mount point in the rootfs.
    public static let defaultInitMountPath = "/.rundle/init"
    /// Parent of every container's cgroup, relative (see `CgroupPathRule`).
    public static let defaultCgroupParent = "rundle"
    /// Container ids 0 ..< 65536 are host ids 100000 ..< 165536 (the usual /etc/subuid range).
    public static let defaultIDMap = [IDMapping(containerID: 0, hostID: 100_000, size: 65_536)]

    /// `<depot>/<handle>`: the bundle directory (config.json is written here).
    public var containerDir: String
    /// The overlay's merged directory; becomes `root.path`.
    public var rootfsMountPath: String
    /// Host path of the static rundle-init binary.
    public var initPath: String
    /// Where the init is bind-mounted (read-only) in the container; `process.args[0]`.
    public var initMountPath: String
    /// Relative cgroup parent: containers go to `<cgroupParent>/<handle>`.
    public var cgroupParent: String
    /// uid and gid mappings of unprivileged containers (ignored for privileged ones).
    public var idMap: [IDMapping]
    /// The capabilities the runtime will hold (its bounding set); privileged containers get only
    /// those of their list that are in it, because runc fails with "unable to apply caps:
    /// operation not permitted" when asked for one more. `nil` disables the filter. Defaults to
    /// this process's own bounding set, which runc inherits from us.
    public var hostCapabilities: Set<String>?
    /// Whether a host path exists (bind mount sources).
    public var pathExists: @Sendable (String) -> Bool
    /// The flags of the mount a host path lives on that a user namespace locks ("nosuid",
    /// "nodev", "noexec", atime flags). Bind mounts repeat them: in a user namespace runc's
    /// read-only remount fails with EPERM if it would clear one (checked with runc 1.1.5 here).
    public var sourceMountOptions: @Sendable (String) -> [String]

    public init(containerDir: String, rootfsMountPath: String, initPath: String,
                initMountPath: String = BundleContext.defaultInitMountPath,
                cgroupParent: String = BundleContext.defaultCgroupParent,
                idMap: [IDMapping] = BundleContext.defaultIDMap,
                hostCapabilities: Set<String>? = BundleContext.callerBoundingSet,
                pathExists: @escaping @Sendable (String) -> Bool = { RundleOS.fileExists($0) },
                sourceMountOptions: @escaping @Sendable (String) -> [String] = { BundleContext.lockedMountOptions(of: $0) }) {
        self.containerDir = containerDir
        self.rootfsMountPath = rootfsMountPath
        self.initPath = initPath
        self.initMountPath = initMountPath
        self.cgroupParent = cgroupParent
        self.idMap = idMap
        self.hostCapabilities = hostCapabilities
        self.pathExists = pathExists
        self.sourceMountOptions = sourceMountOptions
    }
}

extension BundleContext {
    /// This process's capability bounding set (`CapBnd` of /proc/self/status), read once;
    /// `nil` if it cannot be read, which turns the privileged capability filter off.
    public static let callerBoundingSet: Set<String>? = {
        guard let bytes = try? RundleOS.readFile("/proc/self/status", limit: 1 << 16) else { return nil }
        return Capabilities.boundingSet(procStatus: String(decoding: bytes, as: UTF8.self))
    }()

    /// The locked flags of the mount `path` is on, from `statvfs(3)`, in the spelling of mount
    /// options: any of "nosuid", "nodev", "noexec", "noatime", "nodiratime", "relatime" (the
    /// same set Guardian reads with statfs). `[]` if `path` cannot be examined.
    // A single libc call kept here rather than in RundleOS until RundleOS grows a statvfs wrapper.
    public static func lockedMountOptions(of path: String) -> [String] {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return [] }
        return mountOptions(statvfsFlags: UInt64(info.f_flag))
    }

    /// The option names for `statvfs`'s `f_flag` bits (ST_NOSUID 2, ST_NODEV 4, ST_NOEXEC 8,
    /// ST_NOATIME 1024, ST_NODIRATIME 2048, ST_RELATIME 4096).
    public static func mountOptions(statvfsFlags flags: UInt64) -> [String] {
        let table: [(UInt64, String)] = [
            (2, "nosuid"), (4, "nodev"), (8, "noexec"), (1024, "noatime"), (2048, "nodiratime"), (4096, "relatime"),
        ]
        return table.filter { flags & $0.0 != 0 }.map(\.1)
    }
}
