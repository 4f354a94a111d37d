import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Descriptor-relative file calls for copying files into and out of a container's rootfs, which
// is mounted on the host: every path is resolved by openat2 against a directory fd so that
// neither a symlink nor ".." can lead outside it (see ReadFileInRoot.swift), and every final
// component is handled with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW so a planted link is never followed.

/// How `openInRoot` confines a path.
public enum InRootResolution: Sendable {
    /// RESOLVE_IN_ROOT: `dirFD` acts as "/" — absolute symlinks and ".." stop at it (a chroot).
    case inRoot
    /// RESOLVE_BENEATH: anything that would leave `dirFD` (absolute symlink, ".." above it)
    /// fails with EXDEV instead.
    case beneath

    var flags: UInt64 {
        switch self {
        case .inRoot: return RUNDLE_RESOLVE_IN_ROOT | RUNDLE_RESOLVE_NO_MAGICLINKS
        case .beneath: return RUNDLE_RESOLVE_BENEATH | RUNDLE_RESOLVE_NO_MAGICLINKS
        }
    }
}

/// What `statAt` reports about one file.
public struct FileStatus: Sendable, Equatable {
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var mtime: Int64
    public var device: UInt64
    public var inode: UInt64
    public var links: UInt64

    public var type: UInt32 { mode & UInt32(S_IFMT) }
    public var isDirectory: Bool { type == UInt32(S_IFDIR) }
    public var isRegular: Bool { type == UInt32(S_IFREG) }
    public var isSymlink: Bool { type == UInt32(S_IFLNK) }
    public var permissions: UInt32 { mode & 0o7777 }

    init(_ s: stat) {
        mode = UInt32(s.st_mode)
        uid = s.st_uid
        gid = s.st_gid
        size = Int64(s.st_size)
        mtime = Int64(s.st_mtim.tv_sec)
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
        links = UInt64(s.st_nlink)
    }
}

/// A directory to resolve from: open(path, O_PATH | O_DIRECTORY).
public func openDirectoryPath(_ path: String) throws(OSError) -> Int32 {
    try sys("open", path: path) { open(path, RUNDLE_O_PATH | O_DIRECTORY | O_CLOEXEC) }
}

/// openat2(dirFD, path, flags | O_CLOEXEC, mode) confined by `resolution`; retries the EAGAIN
/// the kernel returns when a ".." raced with a rename.
public func openInRoot(_ dirFD: Int32, _ path: String, _ flags: Int32, mode: mode_t = 0,
                       resolution: InRootResolution = .inRoot) throws(OSError) -> Int32 {
    var attempts = 0
    while true {
        do {
            return try sys("openat2", path: path) {
                rundle_openat2(dirFD, path, UInt64(flags | O_CLOEXEC), UInt64(mode), resolution.flags)
            }
        } catch where error.errno == EAGAIN && attempts < 16 {
            attempts += 1
        }
    }
}

/// The O_PATH flag, for callers that want a descriptor only to resolve from.
public let openPathFlag: Int32 = RUNDLE_O_PATH

/// openat(dirFD, name, flags | O_NOFOLLOW | O_CLOEXEC, mode): `name` is one component.
public func openAt(_ dirFD: Int32, _ name: String, _ flags: Int32, mode: mode_t = 0) throws(OSError) -> Int32 {
    try sys("openat", path: name) { openat(dirFD, name, flags | O_NOFOLLOW | O_CLOEXEC, mode) }
}

/// fstatat(dirFD, name, AT_SYMLINK_NOFOLLOW); an empty `name` stats `dirFD` itself.
public func statAt(_ dirFD: Int32, _ name: String) throws(OSError) -> FileStatus {
    var s = stat()
    let flags = name.isEmpty ? RUNDLE_AT_EMPTY_PATH | RUNDLE_AT_SYMLINK_NOFOLLOW : RUNDLE_AT_SYMLINK_NOFOLLOW
    try sys("fstatat", path: name) { fstatat(dirFD, name, &s, flags) }
    return FileStatus(s)
}

/// fstatat that reports a missing file as nil.
public func statAtIfExists(_ dirFD: Int32, _ name: String) throws(OSError) -> FileStatus? {
    do { return try statAt(dirFD, name) } catch where error.errno == ENOENT { return nil }
}

/// mkdirat(2).
public func makeDirectoryAt(_ dirFD: Int32, _ name: String, mode: mode_t) throws(OSError) {
    try sys("mkdirat", path: name) { mkdirat(dirFD, name, mode) }
}

/// symlinkat(2): creates `name` in `dirFD` pointing at `target` (never resolved here).
public func symlinkAt(target: String, _ dirFD: Int32, _ name: String) throws(OSError) {
    try sys("symlinkat", path: name) { symlinkat(target, dirFD, name) }
}

/// linkat(2) without AT_SYMLINK_FOLLOW: a symlink is linked as itself, never followed.
public func linkAt(_ oldDirFD: Int32, _ oldName: String, _ newDirFD: Int32, _ newName: String) throws(OSError) {
    try sys("linkat", path: newName) { linkat(oldDirFD, oldName, newDirFD, newName, 0) }
}

/// unlinkat(2); `directory` removes an (empty) directory.
public func unlinkAt(_ dirFD: Int32, _ name: String, directory: Bool = false) throws(OSError) {
    try sys("unlinkat", path: name) { unlinkat(dirFD, name, directory ? RUNDLE_AT_REMOVEDIR : 0) }
}

/// readlinkat(2).
public func readLinkAt(_ dirFD: Int32, _ name: String) throws(OSError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = try sys("readlinkat", path: name) { readlinkat(dirFD, name, &buffer, buffer.count - 1) }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// fchownat(dirFD, name, AT_SYMLINK_NOFOLLOW); an empty `name` changes `dirFD` itself
/// (which may be an O_PATH descriptor).
public func changeOwnerAt(_ dirFD: Int32, _ name: String, uid: UInt32, gid: UInt32) throws(OSError) {
    let flags = name.isEmpty ? RUNDLE_AT_EMPTY_PATH | RUNDLE_AT_SYMLINK_NOFOLLOW : RUNDLE_AT_SYMLINK_NOFOLLOW
    try sys("fchownat", path: name) { fchownat(dirFD, name, uid, gid, flags) }
}

/// fchmod(2) on an open (not O_PATH) descriptor.
public func changeMode(_ fd: Int32, _ mode: mode_t) throws(OSError) {
    try sys("fchmod") { fchmod(fd, mode) }
}

/// utimensat(dirFD, name, atime = mtime = `seconds`, AT_SYMLINK_NOFOLLOW); an empty `name`
/// sets `dirFD`'s own times (it must not be an O_PATH descriptor then).
public func setModificationTimeAt(_ dirFD: Int32, _ name: String, seconds: Int64) throws(OSError) {
    var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
    if name.isEmpty {
        try sys("futimens") { futimens(dirFD, &times) }
    } else {
        try sys("utimensat", path: name) { utimensat(dirFD, name, &times, RUNDLE_AT_SYMLINK_NOFOLLOW) }
    }
}

/// The names in the directory open as `dirFD` (not "." or ".."), sorted; `dirFD` stays open.
public func listDirectoryAt(_ dirFD: Int32) throws(OSError) -> [String] {
    let fd = try sys("openat") { openat(dirFD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    return try directoryEntries(fd, path: nil).map(\.name).sorted()
}

/// One blocking read(2): the byte count, 0 at end of file.
public func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws(OSError) -> Int {
    try sys("read") { read(fd, buffer.baseAddress, buffer.count) }
}

/// An unnamed read-write temporary file in `directory` (O_TMPFILE; mkstemp + unlink where the
/// filesystem lacks it).
public func anonymousTemporaryFile(in directory: String = "/tmp") throws(OSError) -> Int32 {
    var template = Array((directory + "/.rundle-cp-XXXXXX").utf8CString)
    let fd = try sys("mkstemp", path: directory) { mkstemp(&template) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
    return fd
}

/// lseek(fd, 0, SEEK_SET).
public func rewindDescriptor(_ fd: Int32) throws(OSError) {
    _ = try sys("lseek") { lseek(fd, 0, SEEK_SET) }
}
