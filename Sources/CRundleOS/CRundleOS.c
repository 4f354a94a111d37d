// CRundleOS: the _GNU_SOURCE and raw-syscall side of RundleOS. See include/CRundleOS.h.
#define _GNU_SOURCE 1

#include "CRundleOS.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

// The header re-declares these constants so that it needs no GNU or <linux/...> header.
_Static_assert(RUNDLE_RESOLVE_NO_XDEV == RESOLVE_NO_XDEV, "RESOLVE_NO_XDEV");
_Static_assert(RUNDLE_RESOLVE_NO_MAGICLINKS == RESOLVE_NO_MAGICLINKS, "RESOLVE_NO_MAGICLINKS");
_Static_assert(RUNDLE_RESOLVE_NO_SYMLINKS == RESOLVE_NO_SYMLINKS, "RESOLVE_NO_SYMLINKS");
_Static_assert(RUNDLE_RESOLVE_BENEATH == RESOLVE_BENEATH, "RESOLVE_BENEATH");
_Static_assert(RUNDLE_RESOLVE_IN_ROOT == RESOLVE_IN_ROOT, "RESOLVE_IN_ROOT");
_Static_assert(RUNDLE_O_PATH == O_PATH, "O_PATH");
_Static_assert(RUNDLE_AT_FDCWD == AT_FDCWD, "AT_FDCWD");
_Static_assert(RUNDLE_AT_SYMLINK_NOFOLLOW == AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW");
_Static_assert(RUNDLE_AT_REMOVEDIR == AT_REMOVEDIR, "AT_REMOVEDIR");
_Static_assert(RUNDLE_AT_NO_AUTOMOUNT == AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT");
_Static_assert(RUNDLE_AT_EMPTY_PATH == AT_EMPTY_PATH, "AT_EMPTY_PATH");
_Static_assert(RUNDLE_AT_RECURSIVE == AT_RECURSIVE, "AT_RECURSIVE");
_Static_assert(RUNDLE_STATX_TYPE == STATX_TYPE, "STATX_TYPE");
_Static_assert(RUNDLE_STATX_MODE == STATX_MODE, "STATX_MODE");
_Static_assert(RUNDLE_STATX_UID == STATX_UID, "STATX_UID");
_Static_assert(RUNDLE_STATX_GID == STATX_GID, "STATX_GID");
_Static_assert(RUNDLE_STATX_INO == STATX_INO, "STATX_INO");
_Static_assert(RUNDLE_STATX_MNT_ID == STATX_MNT_ID, "STATX_MNT_ID");
#ifdef STATX_ATTR_MOUNT_ROOT
_Static_assert(RUNDLE_STATX_ATTR_MOUNT_ROOT == STATX_ATTR_MOUNT_ROOT, "STATX_ATTR_MOUNT_ROOT");
#endif
_Static_assert(RUNDLE_MS_RDONLY == MS_RDONLY, "MS_RDONLY");
_Static_assert(RUNDLE_MS_NOSUID == MS_NOSUID, "MS_NOSUID");
_Static_assert(RUNDLE_MS_NODEV == MS_NODEV, "MS_NODEV");
_Static_assert(RUNDLE_MS_NOEXEC == MS_NOEXEC, "MS_NOEXEC");
_Static_assert(RUNDLE_MS_REMOUNT == MS_REMOUNT, "MS_REMOUNT");
_Static_assert(RUNDLE_MS_BIND == MS_BIND, "MS_BIND");
_Static_assert(RUNDLE_MS_REC == MS_REC, "MS_REC");
_Static_assert(RUNDLE_MS_PRIVATE == MS_PRIVATE, "MS_PRIVATE");
_Static_assert(RUNDLE_MNT_FORCE == MNT_FORCE, "MNT_FORCE");
_Static_assert(RUNDLE_MNT_DETACH == MNT_DETACH, "MNT_DETACH");
_Static_assert(RUNDLE_UMOUNT_NOFOLLOW == UMOUNT_NOFOLLOW, "UMOUNT_NOFOLLOW");
_Static_assert(RUNDLE_OPEN_TREE_CLONE == OPEN_TREE_CLONE, "OPEN_TREE_CLONE");
_Static_assert(RUNDLE_OPEN_TREE_CLOEXEC == O_CLOEXEC, "OPEN_TREE_CLOEXEC");
_Static_assert(RUNDLE_MOVE_MOUNT_F_EMPTY_PATH == MOVE_MOUNT_F_EMPTY_PATH, "MOVE_MOUNT_F_EMPTY_PATH");
_Static_assert(RUNDLE_MOUNT_ATTR_RDONLY == MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY");
_Static_assert(RUNDLE_MOUNT_ATTR_NOSUID == MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID");
_Static_assert(RUNDLE_MOUNT_ATTR_NODEV == MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV");
_Static_assert(RUNDLE_MOUNT_ATTR_NOEXEC == MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC");
_Static_assert(RUNDLE_MOUNT_ATTR_IDMAP == MOUNT_ATTR_IDMAP, "MOUNT_ATTR_IDMAP");

// Syscall numbers (x86_64 shown) from the system headers; fall back to the generic-table
// numbers, which x86_64 and aarch64 share for these recent calls.
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

// MARK: - posix_spawn

short rundle_posix_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }

int rundle_spawnattr_set_defaults(posix_spawnattr_t *attr, int new_session) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawnattr_setsigmask(attr, &none);
    if (rc != 0) return rc;
    rc = posix_spawnattr_setsigdefault(attr, &all);
    if (rc != 0) return rc;
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (new_session) flags |= POSIX_SPAWN_SETSID;
    return posix_spawnattr_setflags(attr, flags);
}

int rundle_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int rundle_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

char *const *rundle_environ(void) { return environ; }

// MARK: - Process control

int rundle_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int rundle_set_child_subreaper(int on) {
    return prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)(on ? 1 : 0), 0UL, 0UL, 0UL);
}

int rundle_get_child_subreaper(void) {
    int value = 0;
    if (prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&value, 0UL, 0UL, 0UL) < 0) return -1;
    return value ? 1 : 0;
}

int rundle_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

int rundle_pidfd_open(pid_t pid, unsigned int flags) {
    return (int)syscall(SYS_pidfd_open, pid, flags);
}

int rundle_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0U);
}

int rundle_eventfd_open(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

// MARK: - Files

int rundle_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int rundle_statx(int dirfd, const char *path, int flags, unsigned int mask, rundle_statx_t *out) {
    struct statx stx;
    memset(&stx, 0, sizeof stx);
    if (statx(dirfd, path, flags, mask, &stx) < 0) return -1;
    out->mask = stx.stx_mask;
    out->mode = stx.stx_mode;
    out->uid = stx.stx_uid;
    out->gid = stx.stx_gid;
    out->ino = stx.stx_ino;
    out->dev_major = stx.stx_dev_major;
    out->dev_minor = stx.stx_dev_minor;
    out->attributes = stx.stx_attributes;
    out->attributes_mask = stx.stx_attributes_mask;
    out->mnt_id = stx.stx_mnt_id;
    return 0;
}

// MARK: - Mounts

int rundle_mount(const char *source, const char *target, const char *fstype,
                 unsigned long flags, const char *data) {
    return mount(source, target, fstype, flags, data);
}

int rundle_umount2(const char *target, int flags) { return umount2(target, flags); }

int rundle_open_tree(int dirfd, const char *path, unsigned int flags) {
    return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

int rundle_move_mount(int from_dirfd, const char *from_path,
                      int to_dirfd, const char *to_path, unsigned int flags) {
    return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

int rundle_mount_setattr(int dirfd, const char *path, unsigned int flags,
                         uint64_t attr_set, uint64_t attr_clr, uint64_t propagation,
                         int userns_fd) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = attr_set;
    attr.attr_clr = attr_clr;
    attr.propagation = propagation;
    if (attr_set & MOUNT_ATTR_IDMAP) attr.userns_fd = (uint64_t)userns_fd;
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof attr);
}

// MARK: - User namespaces

/// Writes `len` bytes to `path` in one write(2), as /proc/<pid>/{uid,gid}_map require.
static int write_map(const char *path, const char *data, size_t len) {
    int fd;
    do { fd = open(path, O_WRONLY | O_CLOEXEC); } while (fd < 0 && errno == EINTR);
    if (fd < 0) return -1;
    ssize_t n;
    do { n = write(fd, data, len); } while (n < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (n < 0) { errno = saved; return -1; }
    if ((size_t)n != len) { errno = EIO; return -1; }
    return 0;
}

int rundle_userns_create(const char *uid_map, size_t uid_map_len,
                         const char *gid_map, size_t gid_map_len,
                         const char **failed_call) {
    const char *dummy;
    if (failed_call == NULL) failed_call = &dummy;
    *failed_call = NULL;

    int sync[2];
    if (pipe2(sync, O_CLOEXEC) < 0) { *failed_call = "pipe2"; return -1; }

    // Block every signal around the clone so that the child never runs one of the parent's
    // handlers; the child keeps this mask (SIGKILL still works), the parent restores its own.
    sigset_t all, saved_mask;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved_mask);

    // A raw clone, not fork(): no atfork handlers, no glibc locks. Without CLONE_VM the child
    // runs on a copy of this stack, so returning from syscall() in the child is fine.
    long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
    if (pid == 0) {
        // Child: raw syscalls only. Wait until the parent closes the pipe (or dies), then exit.
        char byte;
        syscall(SYS_close, sync[1]);
        for (;;) {
            long r = syscall(SYS_read, sync[0], &byte, 1UL);
            if (r < 0 && errno == EINTR) continue;
            break;
        }
        for (;;) syscall(SYS_exit_group, 0);
    }
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
    close(sync[0]);
    if (pid < 0) {
        close(sync[1]);
        *failed_call = "clone";
        errno = clone_errno;
        return -1;
    }

    int result = -1, saved_errno = 0;
    char path[64];

    snprintf(path, sizeof path, "/proc/%ld/uid_map", pid);
    if (write_map(path, uid_map, uid_map_len) < 0) {
        saved_errno = errno; *failed_call = "write uid_map"; goto reap;
    }
    snprintf(path, sizeof path, "/proc/%ld/gid_map", pid);
    if (write_map(path, gid_map, gid_map_len) < 0) {
        saved_errno = errno; *failed_call = "write gid_map"; goto reap;
    }
    snprintf(path, sizeof path, "/proc/%ld/ns/user", pid);
    do { result = open(path, O_RDONLY | O_CLOEXEC); } while (result < 0 && errno == EINTR);
    if (result < 0) { saved_errno = errno; *failed_call = "open ns/user"; }

reap:
    close(sync[1]);
    kill((pid_t)pid, SIGKILL);
    for (;;) {
        int status;
        pid_t r = waitpid((pid_t)pid, &status, __WALL);
        if (r < 0 && errno == EINTR) continue;
        break;  // reaped, or ECHILD when someone else's waitpid(-1) got it first
    }
    if (result < 0) errno = saved_errno;
    return result;
}

// MARK: - Keeper: sockets, descriptor passing, signals, terminals, sparse files

#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>

_Static_assert(RUNDLE_SOCK_NONBLOCK == SOCK_NONBLOCK, "SOCK_NONBLOCK");
_Static_assert(RUNDLE_SOCK_CLOEXEC == SOCK_CLOEXEC, "SOCK_CLOEXEC");
_Static_assert(RUNDLE_UNIX_PATH_MAX == sizeof(((struct sockaddr_un *)0)->sun_path) - 1, "sun_path");
_Static_assert(sizeof(struct termios) <= sizeof(rundle_termios_t), "termios fits");

/// Fills `addr` for `path`; -1 with ENAMETOOLONG when it does not fit.
static int fill_unix_address(struct sockaddr_un *addr, const char *path) {
    size_t length = strlen(path);
    if (length > RUNDLE_UNIX_PATH_MAX) { errno = ENAMETOOLONG; return -1; }
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, path, length);
    return 0;
}

int rundle_unix_bind(int fd, const char *path) {
    struct sockaddr_un addr;
    if (fill_unix_address(&addr, path) < 0) return -1;
    return bind(fd, (struct sockaddr *)&addr, sizeof addr);
}

int rundle_unix_connect(int fd, const char *path) {
    struct sockaddr_un addr;
    if (fill_unix_address(&addr, path) < 0) return -1;
    return connect(fd, (struct sockaddr *)&addr, sizeof addr);
}

int rundle_accept4(int fd, int flags) { return accept4(fd, NULL, NULL, flags); }

int rundle_is_listening_socket(int fd) {
    int value = 0;
    socklen_t size = sizeof value;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &size) < 0) return -1;
    return value ? 1 : 0;
}

long rundle_send_nosignal(int fd, const void *buffer, size_t length) {
    return (long)send(fd, buffer, length, MSG_NOSIGNAL | MSG_DONTWAIT);
}

long rundle_send_fd(int socket, int fd_to_send, const void *buffer, size_t length) {
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = { .iov_base = (void *)buffer, .iov_len = length };
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.space, .msg_controllen = sizeof control.space,
    };
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd_to_send, sizeof(int));
    return (long)sendmsg(socket, &message, MSG_NOSIGNAL);
}

long rundle_recv_fd(int socket, int *received_fd, void *buffer, size_t length) {
    *received_fd = -1;
    // Room for a few fds, so a sender passing more than one cannot make us leak (MSG_CTRUNC).
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int) * 8)]; } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = { .iov_base = buffer, .iov_len = length };
    struct msghdr message = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.space, .msg_controllen = sizeof control.space,
    };
    ssize_t count = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    if (count < 0) return -1;
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message); cmsg; cmsg = CMSG_NXTHDR(&message, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
        size_t fds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < fds; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
            if (*received_fd < 0) *received_fd = fd; else close(fd);
        }
    }
    return (long)count;
}

int rundle_signalfd_open(const int *signals, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) sigaddset(&set, signals[i]);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int rundle_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t count = read(fd, &info, sizeof info);
    if (count < 0) return -1;
    if ((size_t)count != sizeof info) { errno = EIO; return -1; }
    return (int)info.ssi_signo;
}

int rundle_ignore_signal(int signal) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, NULL);
}

#define RUNDLE_NOTIFY_SIGNALS 65
static volatile int notify_fds[RUNDLE_NOTIFY_SIGNALS];
static struct sigaction notify_saved[RUNDLE_NOTIFY_SIGNALS];

static void notify_handler(int signal) {
    int saved = errno;   // a handler must leave errno as it found it
    if (signal > 0 && signal < RUNDLE_NOTIFY_SIGNALS && notify_fds[signal] > 0) {
        char byte = (char)signal;
        ssize_t ignored = write(notify_fds[signal], &byte, 1);   // EAGAIN: a wake-up is already pending
        (void)ignored;
    }
    errno = saved;
}

int rundle_signal_notify_start(int signal, int write_fd) {
    if (signal <= 0 || signal >= RUNDLE_NOTIFY_SIGNALS) { errno = EINVAL; return -1; }
    notify_fds[signal] = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = notify_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, &notify_saved[signal]);
}

int rundle_signal_notify_stop(int signal) {
    if (signal <= 0 || signal >= RUNDLE_NOTIFY_SIGNALS) { errno = EINVAL; return -1; }
    int rc = sigaction(signal, &notify_saved[signal], NULL);
    notify_fds[signal] = 0;
    return rc;
}

int rundle_punch_hole(int fd, int64_t offset, int64_t length) {
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

int rundle_set_window_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = rows;
    size.ws_col = columns;
    return ioctl(fd, TIOCSWINSZ, &size);
}

int rundle_get_window_size(int fd, unsigned short *rows, unsigned short *columns) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    if (ioctl(fd, TIOCGWINSZ, &size) < 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

int rundle_terminal_make_raw(int fd, rundle_termios_t *saved) {
    struct termios current;
    if (tcgetattr(fd, &current) < 0) return -1;
    memset(saved, 0, sizeof *saved);
    memcpy(saved->bytes, &current, sizeof current);
    cfmakeraw(&current);
    return tcsetattr(fd, TCSANOW, &current);
}

int rundle_terminal_restore(int fd, const rundle_termios_t *saved) {
    struct termios previous;
    memcpy(&previous, saved->bytes, sizeof previous);
    return tcsetattr(fd, TCSANOW, &previous);
}

int rundle_terminal_eof_char(int fd) {
    struct termios current;
    if (tcgetattr(fd, &current) < 0) return -1;
    return (int)(unsigned char)current.c_cc[VEOF];
}

int rundle_open_pty(int *master, int *slave) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    char name[128];
    if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof name) != 0) {
        int saved = errno;
        close(m);
        errno = saved;
        return -1;
    }
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        int saved = errno;
        close(m);
        errno = saved;
        return -1;
    }
    *master = m;
    *slave = s;
    return 0;
}
