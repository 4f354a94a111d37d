import RundleOCI

/// The mounts every container gets, the read-only bind mount of the init, and the device cgroup
/// rules. They are written first in `mounts`; mounts already in the bundle at other destinations
/// follow, in their order (one at a destination this rule owns is replaced).
///
/// | destination | type | options |
/// |---|---|---|
/// | /proc | proc | nosuid, noexec, nodev |
/// | /dev | tmpfs | nosuid, noexec, strictatime, mode=755, size=65536k |
/// | /dev/pts | devpts | nosuid, noexec, newinstance, ptmxmode=0666, mode=0620, gid=5 (see below) |
/// | /dev/shm | tmpfs | nosuid, noexec, nodev, mode=1777, size=65536k |
/// | /dev/mqueue | mqueue | nosuid, noexec, nodev |
/// | /sys | sysfs | nosuid, noexec, nodev, ro |
/// | `context.initMountPath` | bind of `context.initPath` | bind, ro, nosuid, nodev (+ the source's locked flags) |
///
/// - `gid=5` (tty) only when gid 5 exists in the container: always when privileged, and when
///   `context.idMap` maps container gid 5 otherwise. In a user namespace the kernel refuses a
///   devpts `gid=` that is not mapped (runc 1.1.5 here: "mount devpts … invalid argument").
/// - `/sys` read-only in both kinds. In a user namespace sysfs can be mounted only by the owner of
///   the network namespace; the container's netns is created inside its userns, so it is.
/// - No `/sys/fs/cgroup`, where Guardian mounts one for unprivileged containers on v1: without a
///   cgroup namespace it would show the host's hierarchy paths (on this host the nested
///   `/process_api/<id>/rundle/<handle>`), read-only files owned by unmapped ids are no use to
///   the workload, and rundle-init needs nothing from it. Metrics are read on the host side.
/// - The init file's mount point is created by runc in the rootfs (for a bind mount of a file it
///   makes an empty file, and the parent directories).
/// - Device rules (`linux.resources.devices`): deny all, then allow runc's standard set — mknod of
///   any device, and read/write/mknod of null, zero, full, random, urandom, tty, ptmx and the pty
///   slaves (136:*). No fuse or tun (Guardian allows both to privileged containers). Written out so
///   the bundle says what it gets under runc and crun alike; runc 1.1 also appends its own default
///   list (which still includes tun, 10:200) to whatever the bundle says. `linux.devices` is not
///   set: runtimes create the standard nodes themselves.
///
/// `context.initPath` must be absolute and `context.initMountPath` absolute, below "/", without
/// ".."; otherwise `.invalidArgument`.
public struct DefaultMountsRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        try InitProcessRule.checkInitPaths(context, handle: spec.handle)
        let devptsGid5 = spec.privileged || context.idMap.contains { $0.mapsContainerID(5) }
        let initOptions = BindMountsRule.merge(["bind", "ro", "nosuid", "nodev"], context.sourceMountOptions(context.initPath))
        let owned = Self.defaultMounts(devptsGid5: devptsGid5)
            + [OCIMount(destination: context.initMountPath, type: "bind", source: context.initPath, options: initOptions)]
        let destinations = Set(owned.map(\.destination))
        var bundle = bundle
        bundle.mounts = owned + bundle.mounts.filter { !destinations.contains($0.destination) }
        bundle.resourceDevices = Self.deviceRules
        return bundle
    }

    /// The default mounts of the table above (without the init).
    public static func defaultMounts(devptsGid5: Bool) -> [OCIMount] {
        var devpts = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]
        if devptsGid5 { devpts.append("gid=5") }
        return [
            OCIMount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            OCIMount(destination: "/dev", type: "tmpfs", source: "tmpfs",
                     options: ["nosuid", "noexec", "strictatime", "mode=755", "size=65536k"]),
            OCIMount(destination: "/dev/pts", type: "devpts", source: "devpts", options: devpts),
            OCIMount(destination: "/dev/shm", type: "tmpfs", source: "shm",
                     options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            OCIMount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            OCIMount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        ]
    }

    /// Deny all, then runc's standard allow list (without tun).
    public static let deviceRules: [OCIDeviceRule] = [
        OCIDeviceRule(allow: false, access: "rwm"),
        OCIDeviceRule(allow: true, type: "c", access: "m"),
        OCIDeviceRule(allow: true, type: "b", access: "m"),
        OCIDeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),  // null
        OCIDeviceRule(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),  // zero
        OCIDeviceRule(allow: true, type: "c", major: 1, minor: 7, access: "rwm"),  // full
        OCIDeviceRule(allow: true, type: "c", major: 1, minor: 8, access: "rwm"),  // random
        OCIDeviceRule(allow: true, type: "c", major: 1, minor: 9, access: "rwm"),  // urandom
        OCIDeviceRule(allow: true, type: "c", major: 5, minor: 0, access: "rwm"),  // tty
        OCIDeviceRule(allow: true, type: "c", major: 5, minor: 2, access: "rwm"),  // ptmx
        OCIDeviceRule(allow: true, type: "c", major: 136, access: "rwm"),  // pts/*
    ]
}
