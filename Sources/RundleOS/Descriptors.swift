import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Descriptor-level calls for a single-threaded poll loop (the keeper, the attach client):
// open, non-blocking read and write, positional I/O on log files, hole punching, poll.

/// open(2); always adds O_CLOEXEC.
public func openDescriptor(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(OSError) -> Int32 {
    try sys("open", path: path) { open(path, flags | O_CLOEXEC, mode) }
}

/// One read(2) into `buffer`: the byte count (0 at EOF), or nil when the non-blocking `fd` has
/// nothing to read now.
public func readAvailable(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws(OSError) -> Int? {
    try sysNonBlocking("read") { read(fd, buffer.baseAddress, buffer.count) }
}

/// One write(2) from `buffer`: the byte count, or nil when the non-blocking `fd` is full.
public func writeAvailable(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(OSError) -> Int? {
    guard buffer.count > 0 else { return 0 }
    return try sysNonBlocking("write") { write(fd, buffer.baseAddress, buffer.count) }
}

/// Writes all of `buffer` to `fd`, blocking or not: on EAGAIN it waits in poll(2) until `fd` is
/// writable again (a terminal somebody else made non-blocking).
public func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(OSError) {
    var offset = 0
    while offset < buffer.count {
        let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
        if let count = try writeAvailable(fd, rest) {
            offset += count
        } else {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = try sys("poll") { poll(&entry, 1, -1) }
        }
    }
}

/// pread(2) until `buffer` is full or EOF: the byte count.
public func readFully(_ fd: Int32, at offset: UInt64, _ buffer: UnsafeMutableRawBufferPointer) throws(OSError) -> Int {
    var done = 0
    while done < buffer.count {
        let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
        let count = try sys("pread") { pread(fd, rest.baseAddress, rest.count, off_t(offset) + off_t(done)) }
        if count == 0 { break }
        done += count
    }
    return done
}

/// pwrite(2) of all of `buffer` at `offset`.
public func writeFully(_ fd: Int32, at offset: UInt64, _ buffer: UnsafeRawBufferPointer) throws(OSError) {
    var done = 0
    while done < buffer.count {
        let rest = UnsafeRawBufferPointer(rebasing: buffer[done...])
        done += try sys("pwrite") { pwrite(fd, rest.baseAddress, rest.count, off_t(offset) + off_t(done)) }
    }
}

/// Frees the disk blocks of [offset, offset + length) of a regular file, keeping its size
/// (fallocate PUNCH_HOLE | KEEP_SIZE); reads of the range return zeros afterwards.
public func punchHole(_ fd: Int32, offset: UInt64, length: UInt64) throws(OSError) {
    guard length > 0 else { return }
    try sys("fallocate(PUNCH_HOLE)") { rundle_punch_hole(fd, Int64(offset), Int64(length)) }
}

/// fstat(2) size and preferred block size.
public func fileSizeAndBlock(_ fd: Int32) throws(OSError) -> (size: UInt64, blockSize: UInt64) {
    var info = stat()
    try sys("fstat") { fstat(fd, &info) }
    return (UInt64(max(info.st_size, 0)), UInt64(max(info.st_blksize, 512)))
}

/// poll(2) over `entries` (EINTR retried with the same timeout): the number of ready entries.
public func pollDescriptors(_ entries: inout [pollfd], timeoutMilliseconds: Int32) throws(OSError) -> Int {
    let count = nfds_t(entries.count)
    return Int(try entries.withUnsafeMutableBufferPointer { buffer in
        Result { () throws(OSError) in
            try sys("poll") { poll(buffer.baseAddress, count, timeoutMilliseconds) }
        }
    }.get())
}

/// The current time as nanoseconds since the Unix epoch (CLOCK_REALTIME).
public func wallClockNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
