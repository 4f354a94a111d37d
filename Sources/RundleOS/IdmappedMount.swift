import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Attaches at `target` an idmapped clone of the mount at `source` (not its submounts): files
/// show the ids mapped through `uidMaps`/`gidMaps` (on-disk 0 with 0→100000 shows as 100000),
/// and files created through it are stored with the ids mapped back. `source` itself is
/// unchanged. Needs root and a filesystem that supports idmapped mounts (ext4, xfs, btrfs,
/// tmpfs >= 6.3, overlayfs layers since 5.19).
///
/// open_tree(OPEN_TREE_CLONE), mount_setattr(MOUNT_ATTR_IDMAP) with a user namespace that
/// carries the maps, move_mount onto `target`.
public func mountIdmapped(source: String, target: String, uidMaps: [IDMap], gidMaps: [IDMap]) throws(OSError) {
    let userns = try makeUserNamespace(uidMaps: uidMaps, gidMaps: gidMaps)
    defer { closeDescriptor(userns) }
    let tree = try openTreeClone(source)
    defer { closeDescriptor(tree) }
    try sys("mount_setattr", path: source) {
        rundle_mount_setattr(tree, "", UInt32(RUNDLE_AT_EMPTY_PATH), RUNDLE_MOUNT_ATTR_IDMAP, 0, 0, userns)
    }
    try attachTree(tree, at: target)
}
