import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// pipe2(2): a new pipe, both ends O_CLOEXEC by default. Add O_NONBLOCK to `flags` for
/// non-blocking ends (both; use `setNonBlocking` for one end only).
public func makePipe(flags: Int32 = O_CLOEXEC) throws(OSError) -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    try sys("pipe2") { rundle_pipe2(&fds, flags) }
    return (fds[0], fds[1])
}

/// Sets or clears O_NONBLOCK on `fd`.
public func setNonBlocking(_ fd: Int32, _ on: Bool = true) throws(OSError) {
    let flags = try sys("fcntl") { fcntl(fd, F_GETFL) }
    let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
    if wanted != flags {
        try sys("fcntl") { fcntl(fd, F_SETFL, wanted) }
    }
}
