#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The whole content of `path`. Throws `OSError(errno: EFBIG, call: "read")` when it is
/// larger than `limit` bytes.
public func readFile(_ path: String, limit: Int = 16 << 20) throws(OSError) -> [UInt8] {
    let fd = try sys("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
    defer { closeDescriptor(fd) }
    return try readAll(fd, limit: limit, path: path)
}

/// Reads `fd` to EOF, failing with EFBIG past `limit` bytes. `path` only labels errors.
public func readAll(_ fd: Int32, limit: Int = 16 << 20, path: String? = nil) throws(OSError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunkSize = 4096
    while true {
        // Read at most limit + 1 bytes in all: one more than allowed is enough to know.
        let room = limit - bytes.count
        let want = room >= chunkSize ? chunkSize : room + 1
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: want))
        // Array's withUnsafe…Bytes only rethrows untyped errors: carry ours out in a Result.
        let count = try bytes.withUnsafeMutableBytes { buffer in
            let tail = UnsafeMutableRawBufferPointer(rebasing: buffer[start...])
            return Result { () throws(OSError) in
                try sys("read", path: path) { read(fd, tail.baseAddress, tail.count) }
            }
        }.get()
        bytes.removeLast(want - count)
        if bytes.count > limit { throw OSError(errno: EFBIG, call: "read", path: path) }
        if count == 0 { return bytes }
        chunkSize = min(chunkSize * 2, 1 << 20)
    }
}

/// Writes all of `bytes` to the blocking `fd`, looping over short writes. `path` only labels
/// errors.
public func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String? = nil) throws(OSError) {
    try bytes.withUnsafeBytes { buffer in
        Result { () throws(OSError) in
            var offset = 0
            while offset < buffer.count {
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                offset += try sys("write", path: path) { write(fd, rest.baseAddress, rest.count) }
            }
        }
    }.get()
}

/// Replaces `path` with `bytes` so that a reader (or a crash) sees the old or the new content,
/// never a mix: a temp file in the same directory (".<name>.tmp-<pid>-<random>", O_EXCL),
/// written in full, given `mode` exactly (not filtered by umask), fsync'ed, renamed over `path`,
/// then the directory fsync'ed so the rename itself is durable. The temp file is removed on
/// failure.
public func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(OSError) {
    let (directory, name) = splitPath(path)
    let temp = "\(directory)/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    var fd = try sys("open", path: temp) { open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
    do {
        try sys("fchmod", path: temp) { fchmod(fd, mode) }
        try writeAll(fd, bytes, path: temp)
        try sys("fsync", path: temp) { fsync(fd) }
        closeDescriptor(fd)
        fd = -1   // never close a number twice: another thread may have been given it
        try sys("rename", path: path) { rename(temp, path) }
    } catch {
        closeDescriptor(fd)
        _ = unlink(temp)
        throw error
    }
    try syncDirectory(directory)
}

/// Appends `bytes` to `path` (created with `mode` if missing) and fsyncs it: one record of an
/// append-only log. O_APPEND makes each write land at the end even with other writers.
public func appendAndSync(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(OSError) {
    let fd = try sys("open", path: path) { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode) }
    defer { closeDescriptor(fd) }
    try writeAll(fd, bytes, path: path)
    try sys("fsync", path: path) { fsync(fd) }
}

/// fsync on a directory, making renames and creations in it durable.
func syncDirectory(_ directory: String) throws(OSError) {
    let fd = try sys("open", path: directory) { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    defer { closeDescriptor(fd) }
    try sys("fsync", path: directory) { fsync(fd) }
}

/// ("/a/b", "c") for "/a/b/c"; (".", "c") for "c"; ("/", "c") for "/c".
func splitPath(_ path: String) -> (directory: String, name: String) {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.last == "/" { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
    let directory = trimmed[..<slash]
    return (directory.isEmpty ? "/" : String(directory), String(trimmed[trimmed.index(after: slash)...]))
}
