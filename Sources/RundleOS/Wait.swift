import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for the child `pid` to exit and reaps it. With a `timeout`, returns nil once it has
/// passed; the child is then left running (and unreaped) for the caller to kill.
///
/// The wait is a pidfd polled for readability (Linux >= 5.3), so no signal handler and no
/// SIGCHLD are involved; where pidfd_open is missing it falls back to waitpid(WNOHANG) polls.
/// Blocks the calling thread: keep long waits off Swift's cooperative pool. Throws ECHILD when
/// `pid` is not an unreaped child of this process.
public func waitForChild(_ pid: pid_t, timeout: Duration?) throws(OSError) -> ExitStatus? {
    if let timeout {
        let deadline = Deadline(timeout)
        if let pidfd = try openPidfd(pid) {
            defer { closeDescriptor(pidfd) }
            guard try waitReadable(pidfd, deadline) else { return nil }
        } else {
            return try pollChild(pid, deadline)
        }
    }
    return try reapChild(pid)
}

/// Waits until the process `pid` (any process, not only a child) has exited: true when it is
/// gone (or never existed) within `timeout`. Does not reap. A pid <= 0 is never waited for.
public func waitForProcessExit(_ pid: pid_t, timeout: Duration) -> Bool {
    guard pid > 0 else { return false }
    let deadline = Deadline(timeout)
    do {
        if let pidfd = try openPidfd(pid) {
            defer { closeDescriptor(pidfd) }
            return try waitReadable(pidfd, deadline)
        }
    } catch where error.errno == ESRCH {
        return true
    } catch {
        // EMFILE and the like: fall back to probing with kill(pid, 0).
    }
    var pause = Duration.milliseconds(1)
    while true {
        if kill(pid, 0) == -1 && errno == ESRCH { return true }
        if deadline.hasPassed { return false }
        sleepBriefly(&pause, deadline)
    }
}

/// pidfd_open(pid); nil when the kernel lacks it (ENOSYS). ESRCH is thrown.
func openPidfd(_ pid: pid_t) throws(OSError) -> Int32? {
    do {
        return try sys("pidfd_open") { rundle_pidfd_open(pid, 0) }
    } catch where error.errno == ENOSYS {
        return nil
    }
}

/// Blocking waitpid(pid) (EINTR retried), decoded.
func reapChild(_ pid: pid_t) throws(OSError) -> ExitStatus {
    var status: Int32 = 0
    try sys("waitpid") { waitpid(pid, &status, 0) }
    return ExitStatus(waitStatus: status)
}

/// waitpid(pid, WNOHANG): the status if it has exited, else nil.
func tryReapChild(_ pid: pid_t) throws(OSError) -> ExitStatus? {
    var status: Int32 = 0
    let reaped = try sys("waitpid") { waitpid(pid, &status, WNOHANG) }
    return reaped == pid ? ExitStatus(waitStatus: status) : nil
}

/// Polls `fd` for POLLIN until `deadline`: true when readable (or hung up), false on timeout.
func waitReadable(_ fd: Int32, _ deadline: Deadline) throws(OSError) -> Bool {
    while true {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        // The closure reads the deadline afresh on each EINTR retry.
        let ready = try sys("poll") { poll(&entry, 1, deadline.pollTimeout) }
        if ready > 0 { return true }
        if deadline.hasPassed { return false }
    }
}

/// The no-pidfd fallback: waitpid(WNOHANG) with a growing pause, until `deadline`.
private func pollChild(_ pid: pid_t, _ deadline: Deadline) throws(OSError) -> ExitStatus? {
    var pause = Duration.milliseconds(1)
    while true {
        if let status = try tryReapChild(pid) { return status }
        if deadline.hasPassed { return nil }
        sleepBriefly(&pause, deadline)
    }
}

/// Sleeps for `pause` (at most until `deadline`), then doubles it up to 50 ms.
func sleepBriefly(_ pause: inout Duration, _ deadline: Deadline) {
    let wanted = Int32(pause / .milliseconds(1))
    let left = deadline.pollTimeout
    _ = poll(nil, 0, max(left < 0 ? wanted : min(wanted, left), 1))
    pause = min(pause * 2, .milliseconds(50))
}
