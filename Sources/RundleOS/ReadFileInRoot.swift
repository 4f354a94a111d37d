import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads `path` as seen from inside `root` (a container's rootfs): openat2 with
/// RESOLVE_IN_ROOT makes "/" and ".." — in `path` and in every symlink met on the way — stop
/// at `root`, as if chrooted, and RESOLVE_NO_MAGICLINKS refuses /proc-style magic links. An
/// absolute symlink such as etc/passwd -> /etc/shadow therefore reads root/etc/shadow, never
/// the host's. Throws EFBIG past `limit` bytes.
public func readFileInRoot(root: String, path: String, limit: Int = 4 << 20) throws(OSError) -> [UInt8] {
    let rootFD = try sys("open", path: root) { open(root, RUNDLE_O_PATH | O_DIRECTORY | O_CLOEXEC) }
    defer { closeDescriptor(rootFD) }
    var attempts = 0
    let fd: Int32
    while true {
        do {
            fd = try sys("openat2", path: path) {
                rundle_openat2(rootFD, path, UInt64(O_RDONLY | O_CLOEXEC), 0,
                               RUNDLE_RESOLVE_IN_ROOT | RUNDLE_RESOLVE_NO_MAGICLINKS)
            }
            break
        } catch where error.errno == EAGAIN && attempts < 16 {
            // The kernel gives up on a ".." that raced with a rename or mount: try again.
            attempts += 1
        }
    }
    defer { closeDescriptor(fd) }
    return try readAll(fd, limit: limit, path: path)
}
