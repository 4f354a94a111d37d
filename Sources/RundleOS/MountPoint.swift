import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether `path` (symlinks followed) is the root of a mount. statx's STATX_ATTR_MOUNT_ROOT
/// answers directly (Linux >= 5.8); failing that, `path` and its parent must differ in mount
/// id or st_dev (which misses a bind mount within one filesystem on kernels without mount
/// ids). False when `path` does not exist.
public func isMountPoint(_ path: String) -> Bool {
    let mask = RUNDLE_STATX_TYPE | RUNDLE_STATX_MNT_ID
    var info = rundle_statx_t()
    guard rundle_statx(RUNDLE_AT_FDCWD, path, 0, mask, &info) == 0 else { return false }
    if info.attributes_mask & RUNDLE_STATX_ATTR_MOUNT_ROOT != 0 {
        return info.attributes & RUNDLE_STATX_ATTR_MOUNT_ROOT != 0
    }
    var parent = rundle_statx_t()
    guard rundle_statx(RUNDLE_AT_FDCWD, path + "/..", 0, mask, &parent) == 0 else { return false }
    if info.dev_major != parent.dev_major || info.dev_minor != parent.dev_minor { return true }
    if info.mask & parent.mask & RUNDLE_STATX_MNT_ID != 0 { return info.mnt_id != parent.mnt_id }
    return info.ino == parent.ino   // "/" is its own parent
}
