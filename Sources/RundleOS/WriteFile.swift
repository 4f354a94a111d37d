#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes `path` in place with no fsync: for files whose loss in a crash is harmless because
/// what refers to them is itself rolled back (a bundle's config.json during a create).
public func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(OSError) {
    let fd = try sys("open", path: path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
    defer { closeDescriptor(fd) }
    try writeAll(fd, bytes, path: path)
}

/// Replaces `path` atomically (temp file + rename) without fsync: readers see the old or the new
/// content, never a mix, but a power cut may lose the change. For records that only matter while
/// the machine is up (a create in progress, whose mounts a power cut removes anyway).
public func replaceFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(OSError) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temp = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    do {
        try writeFile(temp, bytes, mode: mode)
        try sys("rename", path: path) { rename(temp, path) }
    } catch {
        _ = unlink(temp)
        throw error
    }
}
