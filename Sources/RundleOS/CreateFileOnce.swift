#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creates `path` with `bytes` atomically and only once: a temp file in the same directory is
/// written in full, given `mode`, fsync'ed, then hard-linked to `path` — link(2) fails with
/// EEXIST instead of replacing, so a second writer loses cleanly — and the directory fsync'ed.
/// Readers see no file or the whole file. Throws EEXIST when `path` already exists.
public func createFileOnce(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(OSError) {
    let (directory, name) = splitPath(path)
    let temp = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    var fd = try sys("open", path: temp) { open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
    defer { _ = unlink(temp) }
    do {
        try sys("fchmod", path: temp) { fchmod(fd, mode) }
        try writeAll(fd, bytes, path: temp)
        try sys("fsync", path: temp) { fsync(fd) }
        closeDescriptor(fd)
        fd = -1
        try sys("link", path: path) { link(temp, path) }
    } catch {
        closeDescriptor(fd)
        throw error
    }
    try syncDirectory(directory)
}
