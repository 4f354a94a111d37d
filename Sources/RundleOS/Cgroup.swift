import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One cgroup filesystem mount, from /proc/self/mountinfo.
public struct CgroupMount: Sendable, Equatable {
    /// 1 for `cgroup`, 2 for `cgroup2`.
    public let version: Int
    /// Where it is mounted (octal escapes of mountinfo decoded).
    public let mountPoint: String
    /// The cgroup that is the root of this mount (field 4 of mountinfo; "/" unless bind-mounted
    /// or mounted inside a cgroup namespace).
    public let root: String
    /// v1: the controllers of the hierarchy (e.g. ["cpu", "cpuacct"], ["name=systemd"]); v2: empty.
    public let controllers: [String]

    public init(version: Int, mountPoint: String, root: String, controllers: [String]) {
        self.version = version
        self.mountPoint = mountPoint
        self.root = root
        self.controllers = controllers
    }
}

/// The cgroup directories of one process: per v1 controller, and its unified (v2) directory
/// when a cgroup2 filesystem is mounted. Never assumed from names: derived from
/// `/proc/<pid>/cgroup` and the mounts the caller sees.
public struct CgroupPaths: Sendable, Equatable {
    /// v1 controller (e.g. "memory", "cpuacct", "pids") → absolute directory.
    public var v1: [String: String]
    /// The process's directory in the cgroup2 hierarchy, if one is mounted.
    public var unified: String?

    public init(v1: [String: String] = [:], unified: String? = nil) {
        self.v1 = v1
        self.unified = unified
    }

    /// The directory that holds `file` (e.g. "memory.stat") for `controller`: the v1 hierarchy of
    /// that controller when there is one, else the unified directory if the file exists there.
    public func directory(controller: String, file: String) -> String? {
        if let dir = v1[controller], fileExists(dir + "/" + file) { return dir }
        if let dir = unified, fileExists(dir + "/" + file) { return dir }
        return nil
    }
}

/// The cgroup mounts in `mountinfo` text (format of /proc/<pid>/mountinfo).
public func parseCgroupMounts(_ mountinfo: String) -> [CgroupMount] {
    var mounts: [CgroupMount] = []
    for line in mountinfo.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count >= dash + 4 else { continue }
        let fsType = fields[dash + 1]
        guard fsType == "cgroup" || fsType == "cgroup2" else { continue }
        let root = unescapeMountinfo(String(fields[3]))
        let mountPoint = unescapeMountinfo(String(fields[4]))
        if fsType == "cgroup2" {
            mounts.append(CgroupMount(version: 2, mountPoint: mountPoint, root: root, controllers: []))
        } else {
            let known: Set<Substring> = ["rw", "ro"]
            let options = fields[dash + 3].split(separator: ",")
                .filter { !known.contains($0) && !$0.hasPrefix("release_agent=") && $0 != "clone_children"
                    && $0 != "noprefix" && $0 != "xattr" && $0 != "cpuset_v2_mode" && $0 != "favordynmods" }
                .map(String.init)
            mounts.append(CgroupMount(version: 1, mountPoint: mountPoint, root: root, controllers: options))
        }
    }
    return mounts
}

/// Resolves the lines of a `/proc/<pid>/cgroup` file against `mounts`. Pure: unit-testable.
public func resolveCgroupPaths(procCgroup: String, mounts: [CgroupMount]) -> CgroupPaths {
    var paths = CgroupPaths()
    for line in procCgroup.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { continue }
        let controllers = parts[1].split(separator: ",").map(String.init)
        let path = String(parts[2])
        if parts[0] == "0" && controllers.isEmpty {
            if let mount = mounts.first(where: { $0.version == 2 && isUnder(path, $0.root) }) {
                paths.unified = join(mount, path)
            }
            continue
        }
        guard !controllers.isEmpty,
              let mount = mounts.first(where: { m in m.version == 1 && controllers.allSatisfy(m.controllers.contains) && isUnder(path, m.root) })
        else { continue }
        let dir = join(mount, path)
        for controller in controllers { paths.v1[controller] = dir }
    }
    return paths
}

/// The cgroup directories of `pid`, as seen from this process's mount namespace.
public func cgroupPaths(pid: pid_t) throws(OSError) -> CgroupPaths {
    let procCgroup = String(decoding: try readFile("/proc/\(pid)/cgroup", limit: 1 << 16), as: UTF8.self)
    let mountinfo = String(decoding: try readFile("/proc/self/mountinfo", limit: 4 << 20), as: UTF8.self)
    return resolveCgroupPaths(procCgroup: procCgroup, mounts: parseCgroupMounts(mountinfo))
}

/// A small cgroup file's content without trailing whitespace, or nil when it cannot be read
/// (missing controller, cgroup gone, older kernel).
public func readCgroupFile(_ directory: String, _ name: String) -> String? {
    guard let bytes = try? readFile(directory + "/" + name, limit: 1 << 20) else { return nil }
    var text = Substring(String(decoding: bytes, as: UTF8.self))
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
}

/// Parses a flat-keyed cgroup file (`key value` per line, e.g. memory.stat, cpu.stat,
/// memory.events, memory.oom_control). Lines whose value is not an unsigned integer are skipped.
public func parseCgroupKeyValues(_ text: String) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let value = UInt64(parts[1]) else { continue }
        out[String(parts[0])] = value
    }
    return out
}

/// A single-value cgroup file: a number, or `nil` for "max" (no limit). Throws nothing: an
/// unreadable value is `.missing`.
public enum CgroupValue: Sendable, Equatable {
    case value(UInt64)
    case max
    case missing

    public init(_ text: String?) {
        guard let text else { self = .missing; return }
        if text == "max" { self = .max; return }
        if let n = UInt64(text) { self = .value(n) } else { self = .missing }
    }
}

/// Clock ticks per second (the unit of cpuacct.stat).
public func clockTicksPerSecond() -> UInt64 {
    let ticks = sysconf(Int32(_SC_CLK_TCK))
    return ticks > 0 ? UInt64(ticks) : 100
}

private func isUnder(_ path: String, _ root: String) -> Bool {
    root == "/" || path == root || path.hasPrefix(root + "/")
}

private func join(_ mount: CgroupMount, _ path: String) -> String {
    var relative = path
    if mount.root != "/" { relative = String(path.dropFirst(mount.root.count)) }
    if relative.isEmpty || relative == "/" { return mount.mountPoint }
    return (mount.mountPoint.hasSuffix("/") ? String(mount.mountPoint.dropLast()) : mount.mountPoint) + relative
}

/// mountinfo escapes space, tab, newline and backslash as \ooo.
private func unescapeMountinfo(_ s: String) -> String {
    guard s.contains("\\") else { return s }
    var bytes: [UInt8] = []
    let utf8 = Array(s.utf8)
    var i = 0
    while i < utf8.count {
        if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count,
           let n = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
            bytes.append(n)
            i += 4
        } else {
            bytes.append(utf8[i])
            i += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

// MARK: memory cgroup notifications (for a live OOM watcher; the syscalls stay in RundleOS)

/// A non-blocking, close-on-exec eventfd with counter 0.
public func openEventDescriptor() throws(OSError) -> Int32 {
    try sys("eventfd") { rundle_eventfd_open() }
}

/// cgroup v1: an eventfd the kernel signals on every OOM in the memory cgroup `directory` (and
/// once more when the cgroup is removed). The caller owns and closes it; closing it unregisters.
public func openV1OOMNotification(_ directory: String) throws(OSError) -> Int32 {
    let eventFD = try openEventDescriptor()
    do {
        // The kernel only needs oom_control while registering, so it is closed right after.
        let control = try openDescriptor(directory + "/memory.oom_control", O_RDONLY)
        defer { closeDescriptor(control) }
        let registrar = try openDescriptor(directory + "/cgroup.event_control", O_WRONLY)
        defer { closeDescriptor(registrar) }
        try writeAll(registrar, Array("\(eventFD) \(control)".utf8), path: directory + "/cgroup.event_control")
    } catch {
        closeDescriptor(eventFD)
        throw error
    }
    return eventFD
}

/// cgroup v2: a non-blocking inotify fd that becomes readable whenever `<directory>/memory.events`
/// changes (the kernel reports each counter change as IN_MODIFY) or is removed with its cgroup.
public func openV2MemoryEventsNotification(_ directory: String) throws(OSError) -> Int32 {
    let fd = try sys("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK)) }
    let file = directory + "/memory.events"
    do {
        try sys("inotify_add_watch", path: file) { inotify_add_watch(fd, file, UInt32(IN_MODIFY) | UInt32(IN_DELETE_SELF)) }
    } catch {
        closeDescriptor(fd)
        throw error
    }
    return fd
}
