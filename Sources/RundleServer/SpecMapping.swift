import GardenProtocol
import RundleCore

/// Garden's request bodies as the core's specs; what Rundle cannot honour is refused with a
/// sentence, never half-applied.
enum SpecMapping {
    /// A container spec; the handle stays empty when Garden's is (the caller generates one).
    static func containerSpec(_ spec: GardenContainerSpec, defaultRootfs: String?) throws(GardenError) -> ContainerSpec {
        let rootfs = try rootfsPath(spec.image.uri.isEmpty ? spec.rootfs : spec.image.uri, defaultRootfs: defaultRootfs)
        var limits = ResourceLimits()
        if spec.limits.memory.limitInBytes > 0 {
            guard spec.limits.memory.limitInBytes <= UInt64(Int64.max) else { throw GardenError.generic("memory limit \(spec.limits.memory.limitInBytes) is too large") }
            limits.memoryBytes = Int64(spec.limits.memory.limitInBytes)
        }
        let shares = spec.limits.cpu.limitInShares > 0 ? spec.limits.cpu.limitInShares : spec.limits.cpu.weight
        if shares > 0 { limits.cpuShares = shares }
        if spec.limits.pid.max > 0 {
            guard spec.limits.pid.max <= UInt64(Int64.max) else { throw GardenError.generic("pid limit \(spec.limits.pid.max) is too large") }
            limits.pids = Int64(spec.limits.pid.max)
        }
        var mounts: [BindMount] = []
        for mount in spec.bindMounts {
            guard mount.origin == .host else {
                throw GardenError.generic("bind mount \(mount.srcPath): origin Container is not supported by Rundle; give a host path")
            }
            mounts.append(BindMount(source: mount.srcPath, destination: mount.dstPath, readOnly: mount.mode == .readOnly))
        }
        var core = ContainerSpec(handle: spec.handle, rootfs: rootfs, env: spec.env, bindMounts: mounts, limits: limits,
                                 privileged: spec.privileged)
        for key in spec.properties.keys.sorted() { core.setProperty(key, spec.properties[key] ?? "") }
        return core
    }

    /// `raw:///path`, `/path`, or the server's default for none; image URIs need an image plugin
    /// Rundle does not have.
    static func rootfsPath(_ uri: String, defaultRootfs: String?) throws(GardenError) -> String {
        if uri.isEmpty {
            guard let defaultRootfs else {
                throw GardenError.generic("no rootfs given and the server has no default (rundle serve --default-rootfs PATH)")
            }
            return defaultRootfs
        }
        if uri.hasPrefix("raw://") { return String(uri.dropFirst("raw://".count)) }
        if uri.hasPrefix("/") { return uri }
        throw GardenError.generic("rootfs '\(uri)' is not supported: give a directory path (or raw:///path); Rundle has no image plugin")
    }

    /// Garden's process spec as a process request. Peas (a process with its own image) and
    /// bind mounts without one are refused, the latter with Garden's own words.
    static func processRequest(_ spec: GardenProcessSpec) throws(GardenError) -> ProcessRequest {
        if !spec.image.uri.isEmpty {
            throw GardenError.generic("processes with their own image (peas) are not supported by Rundle")
        }
        if !spec.bindMounts.isEmpty {
            throw GardenError.generic("Running a process with bind mounts and no image provided is not allowed")
        }
        guard !spec.path.isEmpty else { throw GardenError.generic("process spec has no path") }
        var request = ProcessRequest(args: [spec.path] + spec.args)
        request.env = spec.env
        request.cwd = spec.dir.isEmpty ? nil : spec.dir
        request.user = spec.user.isEmpty ? nil : spec.user
        if let tty = spec.tty {
            request.tty = true
            let size = tty.windowSize ?? WindowSize(columns: 80, rows: 24)
            request.windowColumns = size.columns > 0 ? size.columns : 80
            request.windowRows = size.rows > 0 ? size.rows : 24
        }
        for (name, value) in spec.rlimits.sorted(by: { $0.key < $1.key }) {
            request.rlimits.append(Rlimit(type: "RLIMIT_" + name.uppercased(), soft: value, hard: value))
        }
        return request
    }

    /// The port a NetIn reaches on a host-network container: the container port itself.
    static func portMapping(_ request: NetInRequest) throws(GardenError) -> UInt32 {
        let port = request.containerPort != 0 ? request.containerPort : request.hostPort
        guard port != 0 else { throw GardenError.generic("net in needs a container port: Rundle containers share the host's network") }
        guard request.hostPort == 0 || request.hostPort == port else {
            throw GardenError.generic("cannot map host port \(request.hostPort) to container port \(port): Rundle containers share the host's network, so a container port is reached at the same host port")
        }
        return port
    }
}
