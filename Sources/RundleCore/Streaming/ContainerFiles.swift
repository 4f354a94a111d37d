import Glibc
import RundleOS

/// Extracts a tar stream below one directory, opened as a descriptor, without ever writing
/// outside it:
/// - every member's parent is resolved from the destination's descriptor with openat2
///   RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, so a symlink (one from the archive or one that was
///   already there) may be followed only while it stays below the destination; one that leads
///   out (absolute, or ".." above it) fails the archive;
/// - the member itself is created with O_CREAT|O_EXCL|O_NOFOLLOW, mkdirat, symlinkat or linkat
///   (never following a final symlink); an existing non-directory in the way is unlinked
///   first, as tar does;
/// - names are taken below the destination with a leading "/" stripped; a ".." that climbs
///   above it, an absolute hard-link target or one that climbs out refuses the archive;
/// - device and fifo members are refused (an unprivileged container could not use them and a
///   privileged one should not get them through a copy).
/// Validation is done member by member while streaming: on the first refused member (or any
/// other failure) extraction stops and every file and directory this call created is removed
/// again (files it replaced stay replaced). Member uids/gids are ignored: everything is owned
/// by `owner` (host ids), or left to the caller's ids when `owner` is nil. Modes (including
/// setuid bits) and modification times come from the archive.
struct TarExtractor {
    let destination: Int32
    let owner: (uid: UInt32, gid: UInt32)?
    private var created: [(path: String, directory: Bool)] = []
    private var directoryTimes: [(path: String, mtime: Int64)] = []

    init(destination: Int32, owner: (uid: UInt32, gid: UInt32)?) {
        self.destination = destination
        self.owner = owner
    }

    /// Extracts every member; on failure removes what was created and rethrows.
    mutating func extract(_ reader: TarReader) throws(RundleError) {
        do {
            while let entry = try reader.next() {
                try extract(entry, reader)
            }
            for (path, mtime) in directoryTimes.reversed() {
                if let fd = try? openInRoot(destination, path, O_RDONLY | O_DIRECTORY, resolution: .beneath) {
                    _ = try? setModificationTimeAt(fd, "", seconds: mtime)
                    closeDescriptor(fd)
                }
            }
        } catch {
            rollBack()
            throw error
        }
    }

    private func rollBack() {
        for (path, directory) in created.reversed() {
            let parts = path.split(separator: "/").map(String.init)
            guard let base = parts.last else { continue }
            let parent = parts.dropLast().joined(separator: "/")
            guard let fd = try? openInRoot(destination, parent.isEmpty ? "." : parent, openPathFlag | O_DIRECTORY, resolution: .beneath) else { continue }
            _ = try? unlinkAt(fd, base, directory: directory)
            closeDescriptor(fd)
        }
    }

    private func osError(_ error: OSError, _ member: String) -> RundleError {
        if error.errno == EXDEV || error.errno == ELOOP {
            return RundleError(.invalidArgument, "refusing the archive: member '\(member)' leads outside the destination directory through a symlink")
        }
        return RundleError(.internal, "cannot extract '\(member)'", cause: error)
    }

    /// The parent directory of `parts`, created (with parents) when missing.
    private mutating func parentDirectory(_ parts: [String], member: String) throws(RundleError) -> Int32 {
        var fd: Int32 = -1
        do {
            fd = try openInRoot(destination, ".", openPathFlag | O_DIRECTORY, resolution: .beneath)
            for i in 0..<(parts.count - 1) {
                let prefix = parts[0...i].joined(separator: "/")
                do {
                    let next = try openInRoot(destination, prefix, openPathFlag | O_DIRECTORY, resolution: .beneath)
                    closeDescriptor(fd)
                    fd = next
                } catch where error.errno == ENOENT {
                    try makeDirectoryAt(fd, parts[i], mode: 0o755)
                    created.append((prefix, true))
                    if let owner { try changeOwnerAt(fd, parts[i], uid: owner.uid, gid: owner.gid) }
                    let next = try openInRoot(destination, prefix, openPathFlag | O_DIRECTORY, resolution: .beneath)
                    closeDescriptor(fd)
                    fd = next
                }
            }
            return fd
        } catch {
            closeDescriptor(fd)
            if error.errno == ENOTDIR {
                throw RundleError(.invalidArgument, "cannot extract '\(member)': a parent is not a directory")
            }
            throw osError(error, member)
        }
    }

    private mutating func extract(_ entry: TarEntry, _ reader: TarReader) throws(RundleError) {
        let parts = try TarPath.components(entry.name)
        switch entry.kind {
        case .characterDevice, .blockDevice, .fifo:
            throw RundleError(.invalidArgument, "refusing the archive: member '\(entry.name)' is a device or fifo (not supported)")
        default: break
        }
        guard let base = parts.last else {
            // "./": the destination itself, which exists; its metadata is left alone.
            if entry.kind == .directory { return }
            throw RundleError(.invalidArgument, "refusing the archive: member '\(entry.name)' names the destination directory itself")
        }
        var linkParent: Int32 = -1
        var linkBase = ""
        if entry.kind == .hardLink {
            let target = try TarPath.hardLinkTarget(entry.linkName, member: entry.name)
            linkParent = try parentDirectory(target, member: entry.name)
            linkBase = target.last!
        }
        defer { closeDescriptor(linkParent) }
        let parent = try parentDirectory(parts, member: entry.name)
        defer { closeDescriptor(parent) }
        let path = parts.joined(separator: "/")
        do {
            let existing = try statAtIfExists(parent, base)
            if let existing {
                if existing.isDirectory {
                    if entry.kind == .directory {
                        directoryTimes.append((path, entry.mtime))
                        return
                    }
                    throw RundleError(.invalidArgument, "cannot extract '\(entry.name)': a directory is in the way")
                }
                try unlinkAt(parent, base)
            }
            switch entry.kind {
            case .directory:
                try makeDirectoryAt(parent, base, mode: 0o700)
                created.append((path, true))
                let fd = try openAt(parent, base, O_RDONLY | O_DIRECTORY)
                defer { closeDescriptor(fd) }
                if let owner { try changeOwnerAt(fd, "", uid: owner.uid, gid: owner.gid) }
                try changeMode(fd, mode_t(entry.mode))
                directoryTimes.append((path, entry.mtime))
            case .regular:
                let fd = try openAt(parent, base, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
                created.append((path, false))
                defer { closeDescriptor(fd) }
                if let owner { try changeOwnerAt(fd, "", uid: owner.uid, gid: owner.gid) }
                var buffer = [UInt8](repeating: 0, count: 256 << 10)
                while true {
                    var failure: RundleError?
                    let n = buffer.withUnsafeMutableBytes { raw -> Int in
                        do throws(RundleError) { return try reader.read(into: raw) } catch { failure = error; return 0 }
                    }
                    if let failure { throw failure }
                    if n == 0 { break }
                    var writeFailure: OSError?
                    buffer.withUnsafeBytes { raw in
                        do throws(OSError) { try writeFully(fd, UnsafeRawBufferPointer(rebasing: raw[0..<n])) } catch { writeFailure = error }
                    }
                    if let writeFailure { throw writeFailure }
                }
                try changeMode(fd, mode_t(entry.mode))
                try setModificationTimeAt(fd, "", seconds: entry.mtime)
            case .symlink:
                try symlinkAt(target: entry.linkName, parent, base)
                created.append((path, false))
                if let owner { try changeOwnerAt(parent, base, uid: owner.uid, gid: owner.gid) }
                try setModificationTimeAt(parent, base, seconds: entry.mtime)
            case .hardLink:
                guard let target = try statAtIfExists(linkParent, linkBase), !target.isDirectory else {
                    throw RundleError(.invalidArgument, "cannot extract hard link '\(entry.name)': its target '\(entry.linkName)' is not a file extracted before it")
                }
                try linkAt(linkParent, linkBase, parent, base)
                created.append((path, false))
            case .characterDevice, .blockDevice, .fifo:
                break
            }
        } catch let error as RundleError {
            throw error
        } catch let error as OSError {
            throw osError(error, entry.name)
        } catch {
            throw RundleError(.internal, "cannot extract '\(entry.name)'")
        }
    }
}

/// Writes a tar stream of one file or directory tree, reading it through descriptors only:
/// every name is opened relative to its directory's descriptor with O_NOFOLLOW, so a symlink
/// inside the tree is archived as a link and never followed. Directories come before their
/// contents (sorted by name), with the top directory as the first member; files with several
/// links inside the tree become hard-link members after the first. Sockets are skipped.
struct TarArchiver {
    let writer: TarWriter
    /// Maps host ids back to the ids shown in the archive.
    let mapOwner: (UInt32, UInt32) -> (UInt32, UInt32)
    private var seen: [String: String] = [:]

    init(writer: TarWriter, mapOwner: @escaping (UInt32, UInt32) -> (UInt32, UInt32) = { ($0, $1) }) {
        self.writer = writer
        self.mapOwner = mapOwner
    }

    /// Archives `name` in `directory` (an empty `name`: the directory itself) as `archiveName`.
    mutating func add(_ directory: Int32, _ name: String, as archiveName: String) throws(RundleError) {
        do {
            let status = try statAt(directory, name)
            let (uid, gid) = mapOwner(status.uid, status.gid)
            var entry = TarEntry(name: archiveName, kind: .regular, mode: status.permissions, uid: uid, gid: gid, mtime: status.mtime)
            if status.isDirectory {
                entry.kind = .directory
                if !entry.name.hasSuffix("/") { entry.name += "/" }
                try writer.begin(entry)
                let fd = name.isEmpty ? try openInRoot(directory, ".", O_RDONLY | O_DIRECTORY, resolution: .beneath)
                                      : try openAt(directory, name, O_RDONLY | O_DIRECTORY)
                defer { closeDescriptor(fd) }
                for child in try listDirectoryAt(fd) {
                    try add(fd, child, as: entry.name + child)
                }
            } else if status.isSymlink {
                entry.kind = .symlink
                entry.linkName = try readLinkAt(directory, name)
                try writer.begin(entry)
            } else if status.isRegular {
                let key = "\(status.device):\(status.inode)"
                if status.links > 1, let first = seen[key] {
                    entry.kind = .hardLink
                    entry.linkName = first
                    try writer.begin(entry)
                    return
                }
                if status.links > 1 { seen[key] = archiveName }
                let fd = try openAt(directory, name, O_RDONLY)
                defer { closeDescriptor(fd) }
                let opened = try statAt(fd, "")
                entry.size = opened.size
                try writer.begin(entry)
                var left = opened.size
                var buffer = [UInt8](repeating: 0, count: 256 << 10)
                while left > 0 {
                    let want = Int(min(Int64(buffer.count), left))
                    var readFailure: OSError?
                    var n = buffer.withUnsafeMutableBytes { raw -> Int in
                        do throws(OSError) { return try readSome(fd, UnsafeMutableRawBufferPointer(rebasing: raw[0..<want])) } catch { readFailure = error; return 0 }
                    }
                    if let readFailure { throw readFailure }
                    if n == 0 {
                        // The file shrank while being read: pad with zeros, as tar does.
                        for i in 0..<want { buffer[i] = 0 }
                        n = want
                    }
                    var failure: RundleError?
                    buffer.withUnsafeBytes { raw in
                        do throws(RundleError) { try writer.writeData(UnsafeRawBufferPointer(rebasing: raw[0..<n])) } catch { failure = error }
                    }
                    if let failure { throw failure }
                    left -= Int64(n)
                }
            } else if status.type == UInt32(S_IFIFO) {
                entry.kind = .fifo
                try writer.begin(entry)
            } else if status.type == UInt32(S_IFCHR) || status.type == UInt32(S_IFBLK) {
                entry.kind = status.type == UInt32(S_IFCHR) ? .characterDevice : .blockDevice
                try writer.begin(entry)
            }
        } catch let error as RundleError {
            throw error
        } catch let error as OSError {
            throw RundleError(.internal, "cannot archive '\(archiveName)'", cause: error)
        } catch {
            throw RundleError(.internal, "cannot archive '\(archiveName)'")
        }
    }
}
