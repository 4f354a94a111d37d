import GardenProtocol
import Glibc
import RundleCore
import RundleJSON
import RundleOS

extension GardenAPI {
    func capacity() -> GardenCapacity {
        var fs = statvfs()
        // The depot, or its nearest existing ancestor before the first create.
        var path = containerizer.config.depot
        while statvfs(path, &fs) != 0, path != "/" {
            path = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "/"
        }
        let memory = Self.totalMemory()
        let disk = UInt64(fs.f_blocks) * UInt64(fs.f_frsize)
        let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
        return GardenCapacity(memoryInBytes: memory, diskInBytes: disk, schedulableDiskInBytes: free,
                              maxContainers: configuration.maxContainers)
    }

    /// MemTotal of /proc/meminfo, in bytes.
    static func totalMemory() -> UInt64 {
        let text = String(decoding: (try? readFile("/proc/meminfo", limit: 64 << 10)) ?? [], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = UInt64(fields[1]) { return kib * 1024 }
        }
        return 0
    }

    /// Every query pair is a property filter (all must match). `garden.state` is Garden's own:
    /// containers still being created are hidden unless it says `all`.
    func list(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        var filters: [(String, String)] = []
        for (key, value) in request.query where !filters.contains(where: { $0.0 == key }) { filters.append((key, value)) }
        let showAll = filters.contains { $0.0 == "garden.state" && $0.1 == "all" }
        let handles = containerizer.list().filter { info in
            if info.state == "creating" && !showAll { return false }
            for (key, value) in filters where key != "garden.state" {
                if info.record.spec.property(key) != value { return false }
            }
            return true
        }.map(\.handle)
        return .json(["Handles": JSON(handles)])
    }

    func create(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        let spec: GardenContainerSpec
        do { spec = try GardenContainerSpec(bytes: request.body) } catch { throw .badBody(error) }
        var core = try SpecMapping.containerSpec(spec, defaultRootfs: configuration.defaultRootfs)
        if core.handle.isEmpty { core.handle = Handle.generate() }
        do { try Handle.validate(core.handle) } catch { throw GardenError.from(error, handle: nil) }
        if containerizer.depot.exists(core.handle) { throw GardenError.generic("Handle '\(core.handle)' already in use") }
        for entry in spec.netIn { _ = try SpecMapping.portMapping(entry) }
        let handle: String
        do {
            handle = try containerizer.create(core)
        } catch {
            if error.code == .alreadyExists { throw GardenError.generic("Handle '\(core.handle)' already in use") }
            throw GardenError.from(error, handle: nil)
        }
        let grace = spec.graceTimeNanos > 0 ? spec.graceTimeNanos : configuration.defaultGraceTimeNanos
        reaper.register(handle, graceNanos: grace)
        watchOOM(handle)
        if spec.limits.disk != DiskLimits() || spec.limits.bandwidth != BandwidthLimits() || !spec.network.isEmpty {
            logger.warning("disk, bandwidth and network settings are not enforced by Rundle", metadata: ["handle": "\(handle)"])
        }
        return .json(["Handle": JSON(handle)])
    }

    func watchOOM(_ handle: String) {
        do {
            try oom.watch(handle: handle, memoryCgroup: try containerizer.memoryCgroupDirectory(handle))
        } catch {
            logger.warning("cannot watch for OOM kills", metadata: ["handle": "\(handle)", "error": "\(error)"])
        }
    }

    func info(_ handle: String) throws(GardenError) -> GardenContainerInfo {
        let core: ContainerInfo
        do { core = try containerizer.info(handle, askRuntime: false) } catch { throw GardenError.from(error, handle: handle) }
        var info = GardenContainerInfo()
        info.state = core.state == "stopped" || core.state == "exited" ? "stopped" : "active"
        info.events = core.events.filter { $0.type == "oom" }.map { _ in "Out of memory" }
        info.containerPath = core.bundlePath
        info.processIDs = core.processIDs
        var properties: [String: String] = [:]
        for property in core.record.spec.properties { properties[property.key] = property.value }
        info.properties = properties
        info.mappedPorts = []
        return info
    }

    func bulkInfo(_ request: GardenRequest) -> GardenReply {
        var out = JSONObject()
        for handle in Self.bulkHandles(request) {
            do {
                out[handle] = ["Info": try info(handle).json(), "Err": .null]
            } catch {
                out[handle] = ["Info": GardenContainerInfo().json(), "Err": GardenError.generic(error.message).json()]
            }
        }
        return .json(.object(out))
    }

    func metrics(_ handle: String) throws(GardenError) -> JSON {
        do { return try containerizer.metrics(handle).gardenJSON() } catch { throw GardenError.from(error, handle: handle) }
    }

    func bulkMetrics(_ request: GardenRequest) -> GardenReply {
        var out = JSONObject()
        for handle in Self.bulkHandles(request) {
            do {
                try requireContainer(handle)
                out[handle] = ["Metrics": try metrics(handle), "Err": .null]
            } catch {
                out[handle] = ["Metrics": GardenMetrics().json(), "Err": GardenError.generic(error.message).json()]
            }
        }
        return .json(.object(out))
    }

    /// `handles=a,b` (absent or empty: none).
    static func bulkHandles(_ request: GardenRequest) -> [String] {
        (request.queryValue("handles") ?? "").split(separator: ",").map(String.init)
    }

    func stop(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        var kill = false
        if !request.body.isEmpty {
            let body: JSON
            do { body = try JSON.parse(request.body) } catch { throw GardenError.generic("invalid stop request: \(error)") }
            if let value = body["kill"] ?? body["Kill"], !value.isNull {
                guard let flag = value.boolValue else { throw GardenError.generic("json: cannot unmarshal into field StopRequest.kill of type bool") }
                kill = flag
            }
        }
        do { try containerizer.stop(handle, kill: kill) } catch { throw GardenError.from(error, handle: handle) }
        return .empty
    }

    /// Memory and CPU as applied; disk and bandwidth are not enforced by Rundle, so `{}`.
    func limits(_ route: GardenRoute, handle: String) throws(GardenError) -> GardenReply {
        let limits: ResourceLimits
        do { limits = try containerizer.limits(handle) } catch { throw GardenError.from(error, handle: handle) }
        switch route {
        case .currentMemoryLimits:
            return .json(MemoryLimits(limitInBytes: UInt64(max(0, limits.memoryBytes ?? 0))).json())
        case .currentCPULimits:
            return .json(CPULimits(limitInShares: limits.cpuShares ?? 0).json())
        case .currentDiskLimits:
            return .json(DiskLimits().json())
        default:
            return .json(BandwidthLimits().json())
        }
    }

    /// Containers share the host's network: a container port is reachable at the same host port,
    /// and no other mapping can be made.
    func netIn(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        let body: NetInRequest
        do { body = try NetInRequest(bytes: request.body) } catch { throw .badBody(error) }
        let mapping = try SpecMapping.portMapping(body)
        return .json(NetInResponse(hostPort: mapping, containerPort: mapping).json())
    }

    /// Egress is not restricted (host network): every rule is already satisfied. The body must be
    /// the right shape all the same.
    func netOut(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        let body: JSON
        do { body = try JSON.parse(request.body) } catch { throw GardenError.generic("invalid net out rule: \(error)") }
        switch (request.route, body) {
        case (.netOut, .object), (.bulkNetOut, .array): return .empty
        default: throw GardenError.generic("invalid net out rule: expected \(request.route == .netOut ? "an object" : "an array")")
        }
    }

    func setGraceTime(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        let body: JSON
        do { body = try JSON.parse(request.body) } catch { throw GardenError.generic("invalid grace time: \(error)") }
        guard let nanos = body.uint64Value else {
            throw GardenError.generic("json: cannot unmarshal \(body) into Go value of type time.Duration")
        }
        let handle = request.param("handle")
        try requireContainer(handle)
        reaper.register(handle, graceNanos: nanos)
        return .empty
    }

    func properties(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        let key = request.param("key")
        switch request.route {
        case .properties:
            var out = JSONObject()
            for property in try core(handle) { () throws(RundleError) in try containerizer.properties(handle) } {
                out[property.key] = JSON(property.value)
            }
            return .json(.object(out))
        case .property:
            let all = try core(handle) { () throws(RundleError) in try containerizer.properties(handle) }
            guard let value = all.first(where: { $0.key == key })?.value else {
                throw GardenError.generic("property does not exist: \(key)")
            }
            return .json(["value": JSON(value)])
        case .setProperty:
            let body: JSON
            do { body = try JSON.parse(request.body) } catch { throw GardenError.generic("invalid property: \(error)") }
            guard let value = (body["value"] ?? body["Value"])?.stringValue else {
                throw GardenError.generic("json: property body needs a string \"value\"")
            }
            try core(handle) { () throws(RundleError) in try containerizer.setProperty(handle, key: key, value: value) }
            return .empty
        default:
            // Garden ignores removing a property that is not there.
            let present = try core(handle) { () throws(RundleError) in try containerizer.properties(handle) }.contains { $0.key == key }
            if present { try core(handle) { () throws(RundleError) in try containerizer.removeProperty(handle, key: key) } }
            return .empty
        }
    }

    /// Runs a core call, mapping its error to Garden's.
    func core<T>(_ handle: String, _ body: () throws(RundleError) -> T) throws(GardenError) -> T {
        do { return try body() } catch { throw GardenError.from(error, handle: handle) }
    }
}
