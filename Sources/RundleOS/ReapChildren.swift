#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// waitpid(-1, WNOHANG): one exited child of this process (or an orphan re-parented to it as
/// subreaper) and how it ended, or nil when none is waiting (or there are no children at all).
/// A subreaper calls it in a loop on every SIGCHLD, since signals coalesce.
public func reapAnyChild() throws(OSError) -> (pid: pid_t, status: ExitStatus)? {
    var status: Int32 = 0
    do {
        let pid = try sys("waitpid") { waitpid(-1, &status, WNOHANG) }
        return pid > 0 ? (pid, ExitStatus(waitStatus: status)) : nil
    } catch where error.errno == ECHILD {
        return nil
    }
}

/// Whether `pid` is a child of this process that it can still reap (running, or exited and
/// not yet reaped): waitid(P_PID, WEXITED | WNOHANG | WNOWAIT) leaves it as it is; ECHILD says no.
public func isUnreapedChild(_ pid: pid_t) -> Bool {
    guard pid > 0 else { return false }
    var info = siginfo_t()
    while true {
        if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 { return true }
        if errno != EINTR { return false }
    }
}

/// pidfd_open(pid): an fd that polls readable once the process `pid` (any process, not only a
/// child) has exited. Nil when the kernel has no pidfd_open (ENOSYS); ESRCH (gone) is thrown.
public func openProcessDescriptor(_ pid: pid_t) throws(OSError) -> Int32? {
    try openPidfd(pid)
}
