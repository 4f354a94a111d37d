// CRundleOS: the Linux calls Swift's Glibc module does not import.
//
// Glibc is imported without _GNU_SOURCE, so POSIX_SPAWN_SETSID, pipe2, prctl, the
// posix_spawn *_np file actions, statx, openat2, pidfd_open and the new mount API are missing.
// CRundleOS.c defines _GNU_SOURCE and wraps them as plain C functions.
//
// This header deliberately includes neither unistd.h nor any <linux/...> header: with
// _GNU_SOURCE, unistd.h makes `environ` ambiguous in Swift. Constants are re-declared here
// with a RUNDLE_ prefix and checked against the system headers by _Static_assert in the .c file.
//
// Conventions: every function returning int returns -1 and sets errno on failure (like libc),
// except the posix_spawn helpers, which return an error number (like posix_spawn itself).

#ifndef CRUNDLEOS_H
#define CRUNDLEOS_H

#include <spawn.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - posix_spawn

/// POSIX_SPAWN_SETSID (0x80 on glibc).
short rundle_posix_spawn_setsid(void);

/// Sets the attributes every Rundle child gets: an empty signal mask (POSIX_SPAWN_SETSIGMASK),
/// default dispositions for all signals (POSIX_SPAWN_SETSIGDEF), and POSIX_SPAWN_SETSID when
/// `new_session` is non-zero. Returns 0 or an error number.
int rundle_spawnattr_set_defaults(posix_spawnattr_t *attr, int new_session);

/// posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34): close every fd >= `from` in the child.
int rundle_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// posix_spawn_file_actions_addchdir_np (glibc >= 2.29): chdir in the child, affecting later actions.
int rundle_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// The process's environment (`environ`), for posix_spawn when the caller passes none.
char *const *rundle_environ(void);

// MARK: - Process control

/// pipe2(2).
int rundle_pipe2(int fds[2], int flags);

/// prctl(PR_SET_CHILD_SUBREAPER, on).
int rundle_set_child_subreaper(int on);

/// prctl(PR_GET_CHILD_SUBREAPER): 1 or 0, or -1 with errno.
int rundle_get_child_subreaper(void);

/// prctl(PR_SET_PDEATHSIG, signal).
int rundle_set_parent_death_signal(int signal);

/// pidfd_open(2) (syscall 434); flags 0.
int rundle_pidfd_open(pid_t pid, unsigned int flags);

/// pidfd_send_signal(2) (syscall 424), no siginfo.
int rundle_pidfd_send_signal(int pidfd, int signal);

/// eventfd(2) with counter 0, EFD_CLOEXEC | EFD_NONBLOCK (sys/eventfd.h is not in Swift's Glibc).
int rundle_eventfd_open(void);

// MARK: - Files

#define RUNDLE_RESOLVE_NO_XDEV        0x01ULL
#define RUNDLE_RESOLVE_NO_MAGICLINKS  0x02ULL
#define RUNDLE_RESOLVE_NO_SYMLINKS    0x04ULL
#define RUNDLE_RESOLVE_BENEATH        0x08ULL
#define RUNDLE_RESOLVE_IN_ROOT        0x10ULL

/// openat2(2) (syscall 437) with a struct open_how built from the arguments.
int rundle_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

#define RUNDLE_O_PATH                010000000   // O_PATH (GNU)

#define RUNDLE_AT_FDCWD              (-100)
#define RUNDLE_AT_SYMLINK_NOFOLLOW   0x100
#define RUNDLE_AT_REMOVEDIR          0x200
#define RUNDLE_AT_NO_AUTOMOUNT       0x800
#define RUNDLE_AT_EMPTY_PATH         0x1000
#define RUNDLE_AT_RECURSIVE          0x8000

#define RUNDLE_STATX_TYPE            0x0001U
#define RUNDLE_STATX_MODE            0x0002U
#define RUNDLE_STATX_UID             0x0008U
#define RUNDLE_STATX_GID             0x0010U
#define RUNDLE_STATX_INO             0x0100U
#define RUNDLE_STATX_MNT_ID          0x1000U
#define RUNDLE_STATX_ATTR_MOUNT_ROOT 0x2000ULL

/// The statx(2) fields Rundle uses.
typedef struct rundle_statx {
    uint32_t mask;              // STATX_* bits the kernel filled in
    uint32_t mode;              // file type and permission bits
    uint32_t uid;
    uint32_t gid;
    uint64_t ino;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint64_t attributes;        // STATX_ATTR_* bits
    uint64_t attributes_mask;   // which STATX_ATTR_* bits this filesystem/kernel supports
    uint64_t mnt_id;            // valid when mask has STATX_MNT_ID
} rundle_statx_t;

/// statx(2) into a rundle_statx_t.
int rundle_statx(int dirfd, const char *path, int flags, unsigned int mask, rundle_statx_t *out);

// MARK: - Mounts

#define RUNDLE_MS_RDONLY   0x1UL
#define RUNDLE_MS_NOSUID   0x2UL
#define RUNDLE_MS_NODEV    0x4UL
#define RUNDLE_MS_NOEXEC   0x8UL
#define RUNDLE_MS_REMOUNT  0x20UL
#define RUNDLE_MS_BIND     0x1000UL
#define RUNDLE_MS_REC      0x4000UL
#define RUNDLE_MS_PRIVATE  0x40000UL

#define RUNDLE_MNT_FORCE        0x1
#define RUNDLE_MNT_DETACH       0x2
#define RUNDLE_UMOUNT_NOFOLLOW  0x8

#define RUNDLE_OPEN_TREE_CLONE    0x1U
#define RUNDLE_OPEN_TREE_CLOEXEC  02000000U   // O_CLOEXEC

#define RUNDLE_MOVE_MOUNT_F_EMPTY_PATH 0x4U

#define RUNDLE_MOUNT_ATTR_RDONLY  0x1ULL
#define RUNDLE_MOUNT_ATTR_NOSUID  0x2ULL
#define RUNDLE_MOUNT_ATTR_NODEV   0x4ULL
#define RUNDLE_MOUNT_ATTR_NOEXEC  0x8ULL
#define RUNDLE_MOUNT_ATTR_IDMAP   0x00100000ULL

/// mount(2).
int rundle_mount(const char *source, const char *target, const char *fstype,
                 unsigned long flags, const char *data);

/// umount2(2).
int rundle_umount2(const char *target, int flags);

/// open_tree(2) (syscall 428).
int rundle_open_tree(int dirfd, const char *path, unsigned int flags);

/// move_mount(2) (syscall 429).
int rundle_move_mount(int from_dirfd, const char *from_path,
                      int to_dirfd, const char *to_path, unsigned int flags);

/// mount_setattr(2) (syscall 442) with a struct mount_attr built from the arguments;
/// `userns_fd` is only used when `attr_set` has MOUNT_ATTR_IDMAP.
int rundle_mount_setattr(int dirfd, const char *path, unsigned int flags,
                         uint64_t attr_set, uint64_t attr_clr, uint64_t propagation,
                         int userns_fd);

// MARK: - User namespaces

/// Creates a user namespace carrying the given maps and returns an O_CLOEXEC fd to it
/// (/proc/<child>/ns/user), or -1 with errno set and `*failed_call` naming the step that failed.
///
/// `uid_map` and `gid_map` are the full /proc/<pid>/{uid,gid}_map contents ("0 100000 65536\n"),
/// each written with a single write(2) as the kernel requires. A short-lived child is created with
/// a raw clone(CLONE_NEWUSER | SIGCHLD) (no fork(): no atfork handlers, no locks; the child makes
/// only raw syscalls: it blocks reading a pipe, then exits). The parent writes the maps, opens the
/// namespace, then closes the pipe, kills and reaps the child. The caller must be privileged over
/// the mapped ids (root in the initial user namespace); "setgroups" is left alone, since a writer
/// with CAP_SETGID in the parent namespace may write gid_map without denying setgroups.
int rundle_userns_create(const char *uid_map, size_t uid_map_len,
                         const char *gid_map, size_t gid_map_len,
                         const char **failed_call);


// MARK: - Keeper: sockets, descriptor passing, signals, terminals, sparse files
//
// Added for rundle-keeper and its attach client. sockaddr_un, msghdr/CMSG_*, signalfd,
// ioctl(TIOCSWINSZ) and termios are awkward or impossible to use from Swift; these wrap them.

/// The longest path a sockaddr_un holds (sizeof sun_path - 1 for the NUL): 107 on Linux.
#define RUNDLE_UNIX_PATH_MAX 107

/// bind(2) of the unix socket `fd` to `path`; ENAMETOOLONG when `path` exceeds RUNDLE_UNIX_PATH_MAX.
int rundle_unix_bind(int fd, const char *path);

/// connect(2) of the unix socket `fd` to `path`; ENAMETOOLONG as above.
int rundle_unix_connect(int fd, const char *path);

/// accept4(2) with `flags` (SOCK_NONBLOCK 04000, SOCK_CLOEXEC 02000000).
int rundle_accept4(int fd, int flags);

#define RUNDLE_SOCK_NONBLOCK 04000
#define RUNDLE_SOCK_CLOEXEC  02000000

/// Whether `fd` is a listening socket (SO_ACCEPTCONN): 1 or 0, or -1 with errno (ENOTSOCK…).
int rundle_is_listening_socket(int fd);

/// send(2) with MSG_NOSIGNAL | MSG_DONTWAIT: EPIPE instead of SIGPIPE, EAGAIN instead of blocking.
long rundle_send_nosignal(int fd, const void *buffer, size_t length);

/// sendmsg(2) of `length` bytes (at least 1) with `fd_to_send` as SCM_RIGHTS.
long rundle_send_fd(int socket, int fd_to_send, const void *buffer, size_t length);

/// recvmsg(2) into `buffer`, taking at most one SCM_RIGHTS fd (MSG_CMSG_CLOEXEC) into
/// `*received_fd` (-1 when none came; extra fds are closed). Returns the byte count.
long rundle_recv_fd(int socket, int *received_fd, void *buffer, size_t length);

/// Blocks `signals` for the calling thread (the keeper has only one) and returns a
/// non-blocking, close-on-exec signalfd(2) for them.
int rundle_signalfd_open(const int *signals, int count);

/// Reads one signal from a signalfd: its number, or -1 with errno (EAGAIN when none is pending).
int rundle_signalfd_read(int fd);

/// Sets `signal` to SIG_IGN.
int rundle_ignore_signal(int signal);

/// Installs a handler for `signal` that writes one byte to `write_fd` (make it non-blocking)
/// and remembers the previous action for rundle_signal_notify_stop. One fd per signal.
int rundle_signal_notify_start(int signal, int write_fd);

/// Restores the action that rundle_signal_notify_start replaced.
int rundle_signal_notify_stop(int signal);

/// fallocate(2) with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE: frees the blocks of
/// [offset, offset + length) (reads return zeros), keeping the file's size.
int rundle_punch_hole(int fd, int64_t offset, int64_t length);

/// ioctl(TIOCSWINSZ).
int rundle_set_window_size(int fd, unsigned short rows, unsigned short columns);

/// ioctl(TIOCGWINSZ).
int rundle_get_window_size(int fd, unsigned short *rows, unsigned short *columns);

/// A saved struct termios, opaque to Swift (glibc's is 60 bytes).
typedef struct rundle_termios { unsigned char bytes[128]; } rundle_termios_t;

/// tcgetattr into `saved`, then cfmakeraw + tcsetattr(TCSANOW).
int rundle_terminal_make_raw(int fd, rundle_termios_t *saved);

/// tcsetattr(TCSANOW) back to `saved`.
int rundle_terminal_restore(int fd, const rundle_termios_t *saved);

/// The terminal's VEOF character (c_cc[VEOF], normally ^D), or -1 with errno.
int rundle_terminal_eof_char(int fd);

/// A new pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r, open), both ends
/// O_CLOEXEC and the slave O_NOCTTY.
int rundle_open_pty(int *master, int *slave);

#ifdef __cplusplus
}
#endif

#endif // CRUNDLEOS_H
