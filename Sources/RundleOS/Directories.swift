#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// mkdir(2). An existing path throws EEXIST.
public func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(OSError) {
    try sys("mkdir", path: path) { mkdir(path, mode) }
}

/// mkdir -p: creates `path` and any missing parents (each with `mode`, filtered by umask).
/// An existing directory is fine; an existing non-directory throws ENOTDIR.
public func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(OSError) {
    guard !path.isEmpty else { throw OSError(errno: ENOENT, call: "mkdir", path: path) }
    if isDirectory(path) { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        do {
            try makeDirectory(prefix, mode: mode)
        } catch where error.errno == EEXIST {
            if !isDirectory(prefix) { throw OSError(errno: ENOTDIR, call: "mkdir", path: prefix) }
        }
    }
}

/// Whether `path` names something (following symlinks: a dangling symlink does not exist).
public func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

/// Whether `path` is a directory (following symlinks).
public func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
}

/// The names in directory `path`, without "." and "..", sorted.
public func listDirectory(_ path: String) throws(OSError) -> [String] {
    let fd = try sys("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    return try directoryEntries(fd, path: path).map(\.name).sorted()
}

/// unlink(2); a missing file is fine. A directory throws EISDIR.
public func removeFile(_ path: String) throws(OSError) {
    do {
        try sys("unlink", path: path) { unlink(path) }
    } catch where error.errno == ENOENT {
    }
}

/// lchown(2): never follows a final symlink, so a planted link cannot redirect it.
public func changeOwner(_ path: String, uid: UInt32, gid: UInt32) throws(OSError) {
    try sys("lchown", path: path) { lchown(path, uid, gid) }
}

/// One directory entry: its name and d_type (DT_UNKNOWN on filesystems that do not fill it).
struct DirectoryEntry {
    /// The name's bytes, NUL-terminated: kept raw so that a name that is not valid UTF-8 can
    /// still be passed back to the kernel.
    var rawName: [CChar]
    var type: UInt8

    /// The name for display (invalid UTF-8 repaired).
    var name: String {
        String(decoding: rawName.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Reads every entry of the directory open as `fd` (not "." or ".."), and closes `fd`.
func directoryEntries(_ fd: Int32, path: String?) throws(OSError) -> [DirectoryEntry] {
    guard let stream = fdopendir(fd) else {
        let error = OSError(errno: errno, call: "fdopendir", path: path)
        closeDescriptor(fd)
        throw error
    }
    defer { closedir(stream) }
    var entries: [DirectoryEntry] = []
    while true {
        errno = 0
        guard let entry = readdir(stream) else {
            if errno != 0 { throw OSError(errno: errno, call: "readdir", path: path) }
            return entries
        }
        var rawName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
        }
        if rawName == [46] || rawName == [46, 46] { continue }   // "." and ".."
        rawName.append(0)
        entries.append(DirectoryEntry(rawName: rawName, type: entry.pointee.d_type))
    }
}
