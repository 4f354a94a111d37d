import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Mounts an overlay at `target`: `lowerDirs` read-only layers, top-most first, with writes
/// going to `upperDir` (and `workDir`, an empty directory on the same filesystem).
///
/// Paths containing ',' ':' '\' or a newline are rejected with EINVAL rather than escaped:
/// the kernel's option parser splits on them, and escaping rules have changed across kernels.
/// Options longer than a page (many deep layers) are refused with E2BIG.
public func mountOverlay(lowerDirs: [String], upperDir: String, workDir: String, target: String) throws(OSError) {
    guard !lowerDirs.isEmpty else { throw OSError(errno: EINVAL, call: "mount overlay", path: target) }
    for path in lowerDirs + [upperDir, workDir] where !isPlainOverlayPath(path) {
        throw OSError(errno: EINVAL, call: "mount overlay", path: path)
    }
    let options = "lowerdir=\(lowerDirs.joined(separator: ":")),upperdir=\(upperDir),workdir=\(workDir)"
    // mount(2) copies at most a page of options; longer ones would be silently cut short.
    guard options.utf8.count < 4096 else { throw OSError(errno: E2BIG, call: "mount overlay", path: target) }
    try sys("mount overlay", path: target) { rundle_mount("overlay", target, "overlay", 0, options) }
}

private func isPlainOverlayPath(_ path: String) -> Bool {
    !path.isEmpty && !path.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ":")
        || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }
}

/// Bind-mounts `source` (not its submounts) onto `target`. A read-only bind is made read-only
/// before it is attached (open_tree clone, mount_setattr, move_mount), so it is never
/// writable, not even for a moment.
public func bindMount(source: String, target: String, readOnly: Bool) throws(OSError) {
    guard readOnly else {
        try sys("mount bind", path: target) { rundle_mount(source, target, nil, RUNDLE_MS_BIND, nil) }
        return
    }
    let tree = try openTreeClone(source)
    defer { closeDescriptor(tree) }
    try sys("mount_setattr", path: source) {
        rundle_mount_setattr(tree, "", UInt32(RUNDLE_AT_EMPTY_PATH), RUNDLE_MOUNT_ATTR_RDONLY, 0, 0, -1)
    }
    try attachTree(tree, at: target)
}

/// Unmounts `target`: true when done, false when `target` is not a mount point (EINVAL) or
/// does not exist (ENOENT). Lazy (MNT_DETACH) only when `detach`; otherwise a busy mount
/// throws EBUSY.
@discardableResult
public func unmount(_ target: String, detach: Bool = false) throws(OSError) -> Bool {
    do {
        try sys("umount", path: target) { rundle_umount2(target, detach ? RUNDLE_MNT_DETACH : 0) }
        return true
    } catch where error.errno == EINVAL || error.errno == ENOENT {
        return false
    }
}

/// open_tree(source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC): a detached, non-recursive copy of
/// the mount at `source`, as an fd.
func openTreeClone(_ source: String) throws(OSError) -> Int32 {
    try sys("open_tree", path: source) {
        rundle_open_tree(RUNDLE_AT_FDCWD, source, RUNDLE_OPEN_TREE_CLONE | RUNDLE_OPEN_TREE_CLOEXEC)
    }
}

/// move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH): attaches a detached tree.
func attachTree(_ tree: Int32, at target: String) throws(OSError) {
    try sys("move_mount", path: target) {
        rundle_move_mount(tree, "", RUNDLE_AT_FDCWD, target, RUNDLE_MOVE_MOUNT_F_EMPTY_PATH)
    }
}

/// mount(2) of a filesystem by type (tmpfs, proc, …) with flags and fs-specific `data`.
func mountFilesystem(
    type: String, source: String, target: String, flags: UInt = 0, data: String? = nil
) throws(OSError) {
    try sys("mount \(type)", path: target) { rundle_mount(source, target, type, flags, data) }
}
