import Glibc
import RundleOCI
import RundleOS
import RundleRuntime

extension Containerizer {
    /// Creates and starts a container; returns its handle. Either the container is committed
    /// (record status `created`) or everything this call made is rolled back before it throws;
    /// a kill -9 in between leaves a `creating` record that the next command or `gc` cleans.
    public func create(_ requested: ContainerSpec) throws(RundleError) -> String {
        var spec = requested
        if spec.handle.isEmpty { spec.handle = Handle.generate() }
        let handle = spec.handle
        try Handle.validate(handle)
        guard spec.rootfs.hasPrefix("/") else {
            throw RundleError(.invalidArgument, "rootfs '\(spec.rootfs)' must be an absolute path", handle: handle)
        }
        guard isDirectory(spec.rootfs) else {
            throw RundleError(.invalidArgument, "rootfs '\(spec.rootfs)' does not exist or is not a directory", handle: handle)
        }
        guard fileExists(config.initPath) else {
            throw RundleError(.unavailable, "the no-op init was not found at \(config.initPath) (build it with scripts/build, or pass --init-path)")
        }
        let layout = depot.layout(handle)
        let runtimeRoot = config.runtimeRoot(for: config.runtime)
        let context = bundleContext(layout: layout, privileged: spec.privileged)
        // Generate before touching the disk: a bad spec (missing bind source, bad env) changes nothing.
        let bundle = try template.generate(spec: spec, context: context)
        let runtime = configuredRuntime
        if runtime.binaryPath == nil {
            throw RundleError(.unavailable, "runtime '\(config.runtime)' was not found on PATH")
        }

        try depot.prepare()
        if !spec.privileged, let root = context.idMap.first(where: { $0.containerID == 0 })?.hostID {
            try requireSearchable(depot.root, byUID: root)
        }
        try prepareStateDirs(runtimeRoot: runtimeRoot)
        guard let lock = try depot.lock(handle) else { throw RundleError(.internal, "lock unavailable") }
        if depot.exists(handle) {
            // Only a half-made container (an interrupted create: we hold the lock, so its creator
            // is gone) is cleared away; anything committed, or unreadable, is never touched.
            guard let leftover = try halfMadeRecord(handle) else {
                throw RundleError(.alreadyExists, "container '\(handle)' already exists", handle: handle)
            }
            try cleanUp(handle: handle, record: leftover.record)
        }

        var record = ContainerRecord(handle: handle, status: .creating, spec: spec, runtime: config.runtime,
                                     runtimeRoot: runtimeRoot, createdAtNanos: Self.nowNanos())
        do throws(RundleError) {
            do { try makeDirectory(layout.containerDir, mode: 0o711) } catch {
                throw RundleError(.internal, "cannot create \(layout.containerDir)", handle: handle, cause: error)
            }
            // Not fsynced: a power cut also takes the mounts and the runtime state of a create in
            // progress; what matters is that a crashed command leaves this record for cleanup.
            try depot.writeRecord(record, durable: false)
            // Mounts made but not recorded yet are found by `cleanUp` on the known mount points.
            record.mounts = try RootfsLayer(layout: layout).mount(
                base: spec.rootfs, idMap: spec.privileged ? nil : context.idMap)
            do { try writeFile(layout.configJSON, bundle.json.serializedBytes(pretty: false), mode: 0o600) } catch {
                throw RundleError(.internal, "cannot write \(layout.configJSON)", handle: handle, cause: error)
            }
            do {
                try runtime.run(id: handle, RunOptions(bundle: layout.containerDir, pidFile: layout.initPidFile))
            } catch {
                throw wrap(error, handle: handle)
            }
            let pid = readPidFile(layout.initPidFile)
            record.initPid = pid
            record.initStartTime = pid.flatMap { processStartTime($0) }
            record.status = .created
            try depot.writeRecord(record)
        } catch {
            logger.debug("create failed, rolling back", metadata: ["handle": "\(handle)", "error": "\(error)"])
            try? cleanUp(handle: handle, record: record)
            lock.unlinkAndRelease()
            throw error
        }
        _ = consume lock
        return handle
    }

    func bundleContext(layout: DepotLayout, privileged: Bool) -> BundleContext {
        var context = BundleContext(containerDir: layout.containerDir, rootfsMountPath: layout.rootfs, initPath: config.initPath)
        context.cgroupParent = config.cgroupParent
        context.idMap = [IDMapping(containerID: 0, hostID: config.idMapHostStart, size: config.idMapSize)]
        return context
    }

    /// The runtime mounts the rootfs as the container's mapped root, which must be able to reach
    /// it: an ancestor that only host root may search fails deep inside runc with a bare EACCES.
    func requireSearchable(_ path: String, byUID uid: UInt32) throws(RundleError) {
        var current = path
        while !current.isEmpty {
            var st = stat()
            if stat(current, &st) == 0, st.st_uid != uid, st.st_mode & 0o001 == 0 {
                throw RundleError(.invalidArgument, "the depot \(path) is not reachable by an unprivileged container's root (host uid \(uid)): \(current) is not searchable by others (chmod o+x \(current), or use --privileged)")
            }
            guard let slash = current.lastIndex(of: "/"), current != "/" else { break }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
    }

    func readPidFile(_ path: String) -> Int32? {
        guard let bytes = try? readFile(path, limit: 64) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \n\t")
        return Int32(text)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let c = s.first, chars.contains(c) { s = s.dropFirst() }
        while let c = s.last, chars.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
