#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The one syscall funnel, in the manner of swift-nio's `NIOPosix/System.swift`: every call that
// reports failure as -1 + errno goes through `sys`, which retries EINTR, treats EBADF and EFAULT
// as programming errors (an fd or pointer of ours is wrong: crash loudly rather than act on
// some other file), and otherwise throws `OSError` carrying errno, the call's name and the path.

/// Runs `body` until it does not fail with EINTR; throws `OSError` on any other failure.
@inline(__always)
@discardableResult
func sys<T: FixedWidthInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(OSError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = errno
        if error == EINTR { continue }
        precondition(error != EBADF && error != EFAULT, "\(call) \(path ?? ""): \(OSError(errno: error, call: call).message) (a bug: bad fd or pointer)")
        throw OSError(errno: error, call: call, path: path)
    }
}

/// Like `sys`, but EAGAIN/EWOULDBLOCK is a value (nil), for non-blocking fds.
@inline(__always)
func sysNonBlocking<T: FixedWidthInteger>(
    _ call: String, path: String? = nil, _ body: () -> T
) throws(OSError) -> T? {
    do {
        return try sys(call, path: path, body)
    } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
        return nil
    }
}

/// Closes `fd`. Never retried: on Linux the fd is released even when close reports EINTR, and
/// by then another thread may already have been given the same number. Errors are ignored:
/// where they matter (written files), `fsync` has already reported them.
public func closeDescriptor(_ fd: Int32) {
    guard fd >= 0 else { return }
    _ = close(fd)
}
