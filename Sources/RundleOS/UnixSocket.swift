import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Unix stream sockets for the keeper's attach socket and runc's console socket.
//
// A sockaddr_un holds at most 107 bytes of path. Longer paths (deep depots) are reached through
// the containing directory opened O_PATH, as "/proc/self/fd/<dirfd>/<name>": the kernel resolves
// that magic link to the directory, so the socket lands in (or is found in) the right place
// whatever the directory's own path length. conmon binds its attach socket the same way.

/// A listening unix stream socket bound at `path`, O_CLOEXEC and O_NONBLOCK. An existing file at
/// `path` is not replaced (EADDRINUSE): the caller removes a stale one first.
public func makeUnixListener(path: String, backlog: Int32 = 64) throws(OSError) -> Int32 {
    let fd = try sys("socket", path: path) {
        socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | RUNDLE_SOCK_CLOEXEC | RUNDLE_SOCK_NONBLOCK, 0)
    }
    do {
        try withShortSocketPath(path) { (short) throws(OSError) in
            try sys("bind", path: path) { rundle_unix_bind(fd, short) }
        }
        try sys("listen", path: path) { listen(fd, backlog) }
        return fd
    } catch {
        closeDescriptor(fd)
        throw error
    }
}

/// A unix stream socket connected to `path`, O_CLOEXEC and O_NONBLOCK (the connect itself is
/// made before O_NONBLOCK is set, so it completes or fails here: ENOENT, ECONNREFUSED…).
public func connectUnixSocket(path: String) throws(OSError) -> Int32 {
    let fd = try sys("socket", path: path) {
        socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | RUNDLE_SOCK_CLOEXEC, 0)
    }
    do {
        try withShortSocketPath(path) { (short) throws(OSError) in
            try sys("connect", path: path) { rundle_unix_connect(fd, short) }
        }
        try setNonBlocking(fd)
        return fd
    } catch {
        closeDescriptor(fd)
        throw error
    }
}

/// Calls `body` with `path`, or, when it is too long for a sockaddr_un, with
/// "/proc/self/fd/<dirfd>/<name>" for its directory opened O_PATH for the call's duration.
func withShortSocketPath(_ path: String, _ body: (String) throws(OSError) -> Void) throws(OSError) {
    if path.utf8.count <= Int(RUNDLE_UNIX_PATH_MAX) {
        try body(path)
        return
    }
    let (directory, name) = splitPath(path)
    let dirfd = try sys("open", path: directory) {
        open(directory, RUNDLE_O_PATH | O_DIRECTORY | O_CLOEXEC)
    }
    defer { closeDescriptor(dirfd) }
    let short = "/proc/self/fd/\(dirfd)/\(name)"
    guard short.utf8.count <= Int(RUNDLE_UNIX_PATH_MAX) else {
        throw OSError(errno: ENAMETOOLONG, call: "bind", path: path)
    }
    try body(short)
}

/// accept4 on the non-blocking listener `fd`: the new connection (O_CLOEXEC, O_NONBLOCK), or
/// nil when none is waiting. A connection that was reset before we took it (ECONNABORTED) is
/// also nil: the caller just polls again.
public func acceptConnection(_ fd: Int32) throws(OSError) -> Int32? {
    do {
        return try sysNonBlocking("accept4") { rundle_accept4(fd, RUNDLE_SOCK_CLOEXEC | RUNDLE_SOCK_NONBLOCK) }
    } catch where error.errno == ECONNABORTED {
        return nil
    }
}

/// Whether `fd` is an open, listening socket (a starter may hand the keeper one as fd 3).
public func isListeningSocket(_ fd: Int32) -> Bool {
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return false }
    return rundle_is_listening_socket(fd) == 1
}

/// send(2) on a socket without ever raising SIGPIPE or blocking: the byte count, or nil when
/// the socket buffer is full. A closed peer throws EPIPE or ECONNRESET.
public func sendAvailable(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(OSError) -> Int? {
    guard buffer.count > 0 else { return 0 }
    return try sysNonBlocking("send") { rundle_send_nosignal(fd, buffer.baseAddress, buffer.count) }
}

/// Sends `bytes` with `fd` attached as SCM_RIGHTS (what runc does on a console socket).
public func sendDescriptor(_ socket: Int32, _ fd: Int32, message: [UInt8]) throws(OSError) {
    let payload = message.isEmpty ? [0] : message
    _ = try payload.withUnsafeBytes { buffer in
        Result { () throws(OSError) in
            try sys("sendmsg") { rundle_send_fd(socket, fd, buffer.baseAddress, buffer.count) }
        }
    }.get()
}

/// Receives one message and the fd attached to it (O_CLOEXEC), as runc sends a pty master on
/// `--console-socket`: (fd or nil when none came, the message bytes). Nil when the socket is
/// non-blocking and nothing is waiting.
public func receiveDescriptor(_ socket: Int32) throws(OSError) -> (fd: Int32?, message: [UInt8])? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    var received: Int32 = -1
    let count = try buffer.withUnsafeMutableBytes { raw in
        Result { () throws(OSError) in
            try sysNonBlocking("recvmsg") { rundle_recv_fd(socket, &received, raw.baseAddress, raw.count) }
        }
    }.get()
    guard let count else { return nil }
    return (received >= 0 ? received : nil, Array(buffer[0..<count]))
}
