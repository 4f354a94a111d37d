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
