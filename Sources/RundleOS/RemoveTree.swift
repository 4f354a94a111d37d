import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// rm -rf that never leaves the top's mount.
///
/// A directory inside `path` on another mount — a different st_dev, or (where statx reports
/// it) a different mount id, which also catches a bind mount from the same filesystem — is not
/// entered: a still-mounted overlay or bind mount can never lead to deleting a shared base
/// rootfs. Everything else that can go is removed, then it throws
/// `OSError(errno: EBUSY, call: "removeTree", path: <the mount>)`. A `path` that is itself a
/// mount point is refused outright with the same error. Other failures do not stop the walk
/// either; the first is thrown at the end (a mount refusal takes precedence). A missing `path`
/// is fine.
///
/// The walk goes through directory fds (openat/unlinkat with O_NOFOLLOW), so symlinks are
/// removed, never followed, and a path swapped for a symlink during the walk is not followed.
public func removeTree(_ path: String) throws(OSError) {
    var top = rundle_statx_t()
    do {
        try sys("statx", path: path) {
            rundle_statx(RUNDLE_AT_FDCWD, path, RUNDLE_AT_SYMLINK_NOFOLLOW | RUNDLE_AT_NO_AUTOMOUNT,
                         RUNDLE_STATX_TYPE | RUNDLE_STATX_MNT_ID, &top)
        }
    } catch where error.errno == ENOENT {
        return
    }
    guard isDirectoryMode(top.mode) else {
        try removeFile(path)
        return
    }
    if top.attributes_mask & RUNDLE_STATX_ATTR_MOUNT_ROOT != 0,
       top.attributes & RUNDLE_STATX_ATTR_MOUNT_ROOT != 0 {
        throw OSError(errno: EBUSY, call: "removeTree", path: path)
    }
    let fd = try sys("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
    var walk = TreeRemoval(top: top)
    if walk.empty(fd, path: path) {
        walk.attempt("rmdir", path) { rmdir(path) }
    }
    if let error = walk.mountError ?? walk.firstError { throw error }
}

private func isDirectoryMode(_ mode: UInt32) -> Bool {
    mode & UInt32(S_IFMT) == UInt32(S_IFDIR)
}

/// The state of one removeTree walk: the top's identity and the errors met so far.
private struct TreeRemoval {
    let device: (major: UInt32, minor: UInt32)
    let mountID: UInt64?
    var mountError: OSError?
    var firstError: OSError?

    init(top: rundle_statx_t) {
        device = (top.dev_major, top.dev_minor)
        mountID = top.mask & RUNDLE_STATX_MNT_ID != 0 ? top.mnt_id : nil
    }

    /// Whether `info` is on another mount than the top.
    func crossesMount(_ info: rundle_statx_t) -> Bool {
        if info.dev_major != device.major || info.dev_minor != device.minor { return true }
        if let mountID, info.mask & RUNDLE_STATX_MNT_ID != 0, info.mnt_id != mountID { return true }
        return false
    }

    mutating func refuseMount(_ path: String) {
        if mountError == nil { mountError = OSError(errno: EBUSY, call: "removeTree", path: path) }
    }

    /// Runs a -1/errno call once (EINTR retried); records its failure (ENOENT is success: the
    /// entry is gone either way). Returns whether it succeeded.
    @discardableResult
    mutating func attempt(_ call: String, _ path: String, _ body: () -> Int32) -> Bool {
        do {
            try sys(call, path: path, body)
            return true
        } catch where error.errno == ENOENT {
            return true
        } catch {
            if firstError == nil { firstError = error }
            return false
        }
    }

    /// Removes everything inside the directory open as `fd` (closing it); true when it is empty.
    mutating func empty(_ fd: Int32, path: String) -> Bool {
        defer { closeDescriptor(fd) }
        let entries: [DirectoryEntry]
        do {
            // List through a duplicate: closedir closes it, and `fd` is needed for unlinkat.
            let listing = try sys("fcntl", path: path) { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
            entries = try directoryEntries(listing, path: path)
        } catch {
            if firstError == nil { firstError = error }
            return false
        }
        var emptied = true
        for entry in entries {
            let entryPath = path + "/" + entry.name
            var info = rundle_statx_t()
            let found = attempt("statx", entryPath) {
                rundle_statx(fd, entry.rawName, RUNDLE_AT_SYMLINK_NOFOLLOW | RUNDLE_AT_NO_AUTOMOUNT,
                             RUNDLE_STATX_TYPE | RUNDLE_STATX_MNT_ID, &info)
            }
            guard found else { emptied = false; continue }
            if info.mask == 0 { continue }   // vanished (ENOENT) meanwhile
            if isDirectoryMode(info.mode) {
                if !removeDirectory(entry, in: fd, info: info, path: entryPath) { emptied = false }
            } else if !attempt("unlinkat", entryPath, { unlinkat(fd, entry.rawName, 0) }) {
                emptied = false
            }
        }
        return emptied
    }

    private mutating func removeDirectory(
        _ entry: DirectoryEntry, in parent: Int32, info: rundle_statx_t, path: String
    ) -> Bool {
        if crossesMount(info) {
            refuseMount(path)
            return false
        }
        var child: Int32 = -1
        let opened = attempt("openat", path) {
            child = openat(parent, entry.rawName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            return child
        }
        guard opened else { return false }
        guard child >= 0 else { return true }   // vanished meanwhile
        // Check again through the fd: the entry may have become a mount point since the statx.
        var openedInfo = rundle_statx_t()
        guard attempt("statx", path, {
            rundle_statx(child, "", RUNDLE_AT_EMPTY_PATH, RUNDLE_STATX_TYPE | RUNDLE_STATX_MNT_ID, &openedInfo)
        }) else {
            closeDescriptor(child)
            return false
        }
        if crossesMount(openedInfo) {
            closeDescriptor(child)
            refuseMount(path)
            return false
        }
        guard empty(child, path: path) else { return false }
        return attempt("unlinkat", path) { unlinkat(parent, entry.rawName, RUNDLE_AT_REMOVEDIR) }
    }
}
