import Glibc
import RundleJSON
import RundleOS

/// Garden's StreamIn and StreamOut, and docker-cp-style copies between the host and a
/// container, without running anything inside the container (its image need not have tar).
/// Every access to the container's files goes through descriptors of its merged rootfs (mounted
/// on the host at `<depot>/<handle>/rootfs` while the container exists, running or stopped),
/// with openat2 RESOLVE_IN_ROOT for the user-given paths and RESOLVE_BENEATH below the
/// extraction directory (see `TarExtractor`), so a symlink in the container can never lead a
/// read or a write to the host.
extension Containerizer {
    /// Extracts the tar stream read from `fd` into `destination` inside the container (created,
    /// with missing parents, when missing; relative to the user's home when relative). Files are
    /// owned by `user` (resolved in the container's /etc/passwd; root when nil), mapped to host
    /// ids through the container's uid/gid mappings; the archive's own owners are ignored, as
    /// Guardian's `tar --no-same-owner` does.
    public func streamIn(_ handle: String, destination: String, user: String?, from fd: Int32) throws(RundleError) {
        let target = try streamTarget(handle, user: user)
        defer { closeDescriptor(target.rootFD) }
        let path = target.absolute(destination)
        let destFD = try makeDirectoriesInRoot(target, path)
        defer { closeDescriptor(destFD) }
        var extractor = TarExtractor(destination: destFD, owner: target.hostOwner)
        do {
            try extractor.extract(TarReader(fd: fd))
        } catch {
            throw RundleError(error.code, "error streaming in to \(path): \(error.message)", handle: handle, cause: error.cause)
        }
    }

    /// Writes a tar stream of `path` inside the container to `fd`: as `tar -C dirname basename`
    /// (members `name/`, `name/file`, …), or for a path ending in "/" as `tar -C path .`
    /// (members `./`, `./file`). A final symlink is archived as itself unless the path ends in
    /// "/". Errors found before the first byte (unknown container, missing path) are thrown
    /// with nothing written.
    public func streamOut(_ handle: String, path: String, to fd: Int32) throws(RundleError) {
        let target = try streamTarget(handle, user: nil)
        defer { closeDescriptor(target.rootFD) }
        let source = try target.openSource(target.absolute(path))
        defer { closeDescriptor(source.parent) }
        var archiver = TarArchiver(writer: TarWriter(fd: fd), mapOwner: target.containerOwner)
        try archiver.add(source.parent, source.base, as: source.name)
        try archiver.writer.finish()
    }

    /// `rundle cp HOSTPATH HANDLE:DEST` with docker's rules: DEST an existing directory ⇒ the
    /// source goes inside it (a source ending in "/." copies a directory's contents); DEST
    /// missing ⇒ created as a copy of the source (its parent must exist; a DEST ending in "/"
    /// must exist when the source is a file); DEST an existing file ⇒ replaced by a source
    /// file, an error for a source directory. Owned by `user` as in `streamIn`.
    public func copyIn(_ handle: String, hostPath: String, destination: String, user: String?) throws(RundleError) {
        let target = try streamTarget(handle, user: user)
        defer { closeDescriptor(target.rootFD) }
        let host = try HostSide.source(hostPath)
        defer { closeDescriptor(host.parent) }
        let dest = target.absolute(destination)
        let plan = try CopyPlan.make(sourceIsDirectory: host.isDirectory, contentsOnly: host.contentsOnly, sourceBase: host.base,
                                     destination: dest, status: { p throws(RundleError) in try target.status(p) })
        let tmp = try temporaryFile(handle)
        defer { closeDescriptor(tmp) }
        var archiver = TarArchiver(writer: TarWriter(fd: tmp))
        try archiver.add(host.parent, host.base, as: plan.topName)
        try archiver.writer.finish()
        do { try rewindDescriptor(tmp) } catch { throw RundleError(.internal, "cannot rewind the temporary archive", cause: error) }
        let destFD: Int32
        do { destFD = try openInRoot(target.rootFD, plan.directory, openPathFlag | O_DIRECTORY) } catch {
            throw RundleError(.notFound, "no directory \(plan.directory) in container '\(handle)'", handle: handle, cause: error)
        }
        defer { closeDescriptor(destFD) }
        var extractor = TarExtractor(destination: destFD, owner: target.hostOwner)
        try extractor.extract(TarReader(fd: tmp))
    }

    /// `rundle cp HANDLE:PATH HOSTDEST` with the same rules as `copyIn`, on the host side; the
    /// files are owned by whoever runs rundle.
    public func copyOut(_ handle: String, path: String, hostPath: String) throws(RundleError) {
        let target = try streamTarget(handle, user: nil)
        defer { closeDescriptor(target.rootFD) }
        let full = target.absolute(path)
        let source = try target.openSource(full)
        defer { closeDescriptor(source.parent) }
        let sourceIsDirectory = (try? statAt(source.parent, source.base))?.isDirectory ?? false
        let contentsOnly = full.hasSuffix("/.")
        let plan = try CopyPlan.make(sourceIsDirectory: sourceIsDirectory, contentsOnly: contentsOnly,
                                     sourceBase: source.base.isEmpty ? "." : source.base,
                                     destination: hostPath, status: { p throws(RundleError) in try HostSide.status(p) })
        let tmp = try temporaryFile(handle)
        defer { closeDescriptor(tmp) }
        var archiver = TarArchiver(writer: TarWriter(fd: tmp))
        try archiver.add(source.parent, source.base, as: plan.topName)
        try archiver.writer.finish()
        do { try rewindDescriptor(tmp) } catch { throw RundleError(.internal, "cannot rewind the temporary archive", cause: error) }
        let destFD: Int32
        do { destFD = try openDirectoryPath(plan.directory) } catch {
            throw RundleError(.notFound, "no directory \(plan.directory) on the host", cause: error)
        }
        defer { closeDescriptor(destFD) }
        var extractor = TarExtractor(destination: destFD, owner: nil)
        try extractor.extract(TarReader(fd: tmp))
    }

    private func temporaryFile(_ handle: String) throws(RundleError) -> Int32 {
        do { return try anonymousTemporaryFile(in: depot.root) } catch {
            throw RundleError(.internal, "cannot create a temporary archive", handle: handle, cause: error)
        }
    }

    /// The container, its root descriptor, the user and the id mappings.
    func streamTarget(_ handle: String, user: String?) throws(RundleError) -> StreamTarget {
        try Handle.validate(handle)
        let record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound {
            throw notFound(handle)
        }
        if record.status == .creating {
            throw RundleError(.invalidState, "container '\(handle)' is still being created (or its create was interrupted: run `rundle gc`)", handle: handle)
        }
        let layout = depot.layout(handle)
        let passwd = String(decoding: (try? readFileInRoot(root: layout.rootfs, path: "/etc/passwd")) ?? [], as: UTF8.self)
        let group = String(decoding: (try? readFileInRoot(root: layout.rootfs, path: "/etc/group")) ?? [], as: UTF8.self)
        var resolved = try UserResolver.resolve(user ?? "0", passwd: passwd, group: group)
        if user == nil, resolved.name == nil { resolved.home = "/root" }
        let config: JSON
        do { config = try JSON.parse(try readFile(layout.configJSON, limit: 4 << 20)) } catch {
            throw RundleError(.internal, "cannot read the bundle \(layout.configJSON)", handle: handle)
        }
        let uidMaps = (config[path: ["linux", "uidMappings"]]?.arrayValue ?? []).compactMap(IDMapping.init(json:))
        let gidMaps = (config[path: ["linux", "gidMappings"]]?.arrayValue ?? []).compactMap(IDMapping.init(json:))
        let rootFD: Int32
        do { rootFD = try openDirectoryPath(layout.rootfs) } catch {
            throw RundleError(.unavailable, "the rootfs of container '\(handle)' is not available", handle: handle, cause: error)
        }
        var target = StreamTarget(handle: handle, rootFD: rootFD, user: resolved, uidMaps: uidMaps, gidMaps: gidMaps)
        do {
            target.hostOwner = (try StreamTarget.toHost(resolved.uid, uidMaps, "uid"), try StreamTarget.toHost(resolved.gid, gidMaps, "gid"))
        } catch {
            closeDescriptor(rootFD)
            throw RundleError(error.code, error.message, handle: handle)
        }
        return target
    }

    /// `mkdir -p` of `path` inside the root: new components owned by the user; returns an O_PATH
    /// descriptor of the directory.
    func makeDirectoriesInRoot(_ target: StreamTarget, _ path: String) throws(RundleError) -> Int32 {
        let parts = path.split(separator: "/").map(String.init)
        do {
            for i in 0..<parts.count {
                let prefix = "/" + parts[0...i].joined(separator: "/")
                do {
                    closeDescriptor(try openInRoot(target.rootFD, prefix, openPathFlag | O_DIRECTORY))
                } catch where error.errno == ENOENT {
                    let parent = try openInRoot(target.rootFD, "/" + parts[0..<i].joined(separator: "/"), openPathFlag | O_DIRECTORY)
                    defer { closeDescriptor(parent) }
                    do { try makeDirectoryAt(parent, parts[i], mode: 0o755) } catch where error.errno == EEXIST {}
                    try changeOwnerAt(parent, parts[i], uid: target.hostOwner.uid, gid: target.hostOwner.gid)
                }
            }
            return try openInRoot(target.rootFD, path, openPathFlag | O_DIRECTORY)
        } catch {
            if error.errno == ENOTDIR || error.errno == EEXIST {
                throw RundleError(.invalidArgument, "cannot use \(path) as the destination: not a directory", handle: target.handle)
            }
            throw RundleError(.internal, "cannot create \(path) in container '\(target.handle)'", handle: target.handle, cause: error)
        }
    }
}

/// One container as a source or destination of a copy.
struct StreamTarget {
    let handle: String
    let rootFD: Int32
    let user: ResolvedUser
    let uidMaps: [IDMapping]
    let gidMaps: [IDMapping]
    var hostOwner: (uid: UInt32, gid: UInt32) = (0, 0)

    /// Container id → host id; identity without mappings (a privileged container).
    static func toHost(_ id: UInt32, _ maps: [IDMapping], _ what: String) throws(RundleError) -> UInt32 {
        if maps.isEmpty { return id }
        for m in maps where m.mapsContainerID(id) { return m.hostID + (id - m.containerID) }
        throw RundleError(.invalidArgument, "\(what) \(id) is not mapped in the container's user namespace")
    }

    /// Host id → container id; 65534 (nobody) when unmapped.
    static func toContainer(_ id: UInt32, _ maps: [IDMapping]) -> UInt32 {
        if maps.isEmpty { return id }
        for m in maps where id >= m.hostID && UInt64(id) < UInt64(m.hostID) + UInt64(m.size) { return m.containerID + (id - m.hostID) }
        return 65534
    }

    var containerOwner: (UInt32, UInt32) -> (UInt32, UInt32) {
        let u = uidMaps, g = gidMaps
        return { (Self.toContainer($0, u), Self.toContainer($1, g)) }
    }

    /// Relative paths are relative to the user's home, as in Garden.
    func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let home = user.home.hasSuffix("/") ? user.home : user.home + "/"
        return path.isEmpty ? user.home : home + path
    }

    /// The parent descriptor (O_PATH, resolved in the root), base name and archive name of a
    /// source path; a path ending in "/" (or "/.") is the directory itself as "./".
    func openSource(_ path: String) throws(RundleError) -> (parent: Int32, base: String, name: String) {
        let parts = path.split(separator: "/").map(String.init)
        let wholeDirectory = path.hasSuffix("/") || path.hasSuffix("/.") || parts.isEmpty || parts.last == "." || parts.last == ".."
        do throws(OSError) {
            if wholeDirectory {
                let fd = try openInRoot(rootFD, path, openPathFlag | O_DIRECTORY)
                return (fd, "", "./")
            }
            let parent = try openInRoot(rootFD, "/" + parts.dropLast().joined(separator: "/"), openPathFlag | O_DIRECTORY)
            guard (try? statAtIfExists(parent, parts.last!)) ?? nil != nil else {
                closeDescriptor(parent)
                throw OSError(errno: ENOENT, call: "stat", path: path)
            }
            return (parent, parts.last!, parts.last!)
        } catch {
            if error.errno == ENOENT || error.errno == ENOTDIR {
                throw RundleError(.notFound, "no such file or directory in container '\(handle)': \(path)", handle: handle)
            }
            throw RundleError(.internal, "cannot open \(path) in container '\(handle)'", handle: handle, cause: error)
        }
    }

    /// nil when missing; whether it is a directory (following symlinks inside the root) otherwise.
    func status(_ path: String) throws(RundleError) -> Bool? {
        do {
            let fd = try openInRoot(rootFD, path, openPathFlag)
            defer { closeDescriptor(fd) }
            return try statAt(fd, "").isDirectory
        } catch {
            if error.errno == ENOENT { return nil }
            if error.errno == ENOTDIR { return nil }
            throw RundleError(.internal, "cannot inspect \(path) in container '\(handle)'", handle: handle, cause: error)
        }
    }
}

/// The host side of a copy.
enum HostSide {
    static func source(_ path: String) throws(RundleError) -> (parent: Int32, base: String, isDirectory: Bool, contentsOnly: Bool) {
        var trimmed = path
        let contentsOnly = path.hasSuffix("/.")
        if contentsOnly { trimmed.removeLast(2) }
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.isEmpty { trimmed = "/" }
        let parts = trimmed.split(separator: "/").map(String.init)
        let parentPath = trimmed.hasPrefix("/") ? "/" + parts.dropLast().joined(separator: "/") : (parts.count > 1 ? parts.dropLast().joined(separator: "/") : ".")
        do {
            let parent = try openDirectoryPath(parts.isEmpty ? "/" : parentPath)
            let base = parts.last ?? ""
            guard let status = try statAtIfExists(parent, base) else {
                closeDescriptor(parent)
                throw RundleError(.notFound, "no such file or directory: \(path)")
            }
            if contentsOnly && !status.isDirectory {
                closeDescriptor(parent)
                throw RundleError(.invalidArgument, "\(path): not a directory")
            }
            return (parent, base, status.isDirectory, contentsOnly)
        } catch let error as RundleError {
            throw error
        } catch {
            throw RundleError(.notFound, "cannot open \(path)", cause: error as? OSError)
        }
    }

    static func status(_ path: String) throws(RundleError) -> Bool? {
        do {
            let fd = try openDirectoryPath(path)
            closeDescriptor(fd)
            return true
        } catch {
            if error.errno == ENOTDIR { return false }
            if error.errno == ENOENT { return nil }
            throw RundleError(.internal, "cannot inspect \(path)", cause: error)
        }
    }
}

/// Where docker's rules put a copy: extract into `directory` with the source archived as `topName`.
struct CopyPlan: Equatable {
    var directory: String
    var topName: String

    static func make(sourceIsDirectory: Bool, contentsOnly: Bool, sourceBase: String, destination: String,
                     status: (String) throws(RundleError) -> Bool?) throws(RundleError) -> CopyPlan {
        let dest = destination.isEmpty ? "." : destination
        switch try status(dest) {
        case true?:
            return CopyPlan(directory: dest, topName: contentsOnly ? "." : sourceBase)
        case false?:
            if sourceIsDirectory { throw RundleError(.invalidArgument, "cannot copy a directory to a file: \(destination)") }
            if dest.hasSuffix("/") { throw RundleError(.invalidArgument, "\(destination): not a directory") }
            return split(dest)
        case nil:
            if dest.hasSuffix("/") && !sourceIsDirectory {
                throw RundleError(.notFound, "destination directory \(destination) does not exist")
            }
            let plan = split(dest)
            guard try status(plan.directory) == true else {
                throw RundleError(.notFound, "the parent directory of \(destination) does not exist")
            }
            return plan
        }
    }

    static func split(_ path: String) -> CopyPlan {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        let parts = p.split(separator: "/").map(String.init)
        let base = parts.last ?? "."
        let dir = p.hasPrefix("/") ? "/" + parts.dropLast().joined(separator: "/") : (parts.count > 1 ? parts.dropLast().joined(separator: "/") : ".")
        return CopyPlan(directory: dir, topName: base)
    }
}
