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
