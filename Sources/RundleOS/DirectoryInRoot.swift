import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether `path` is a directory as seen from inside `root`, resolved like `readFileInRoot`
/// (symlinks and ".." stay inside the container's rootfs).
public func directoryExistsInRoot(root: String, path: String) -> Bool {
    let rootFD = open(root, RUNDLE_O_PATH | O_DIRECTORY | O_CLOEXEC)
    guard rootFD >= 0 else { return false }
    defer { closeDescriptor(rootFD) }
    let fd = rundle_openat2(rootFD, path, UInt64(RUNDLE_O_PATH | O_DIRECTORY | O_CLOEXEC), 0,
                            RUNDLE_RESOLVE_IN_ROOT | RUNDLE_RESOLVE_NO_MAGICLINKS)
    guard fd >= 0 else { return false }
    closeDescriptor(fd)
    return true
}
