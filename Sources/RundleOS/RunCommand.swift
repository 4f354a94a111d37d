#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The outcome of `runCommand`.
public struct CommandResult: Sendable {
    /// How the command ended; nil exactly when it `timedOut` (it was then SIGKILLed and reaped).
    public var status: ExitStatus?
    /// Its stdout, when captured: at most `stdoutLimit` bytes.
    public var stdout: [UInt8]
    public var timedOut: Bool
    /// More stdout than `stdoutLimit` arrived; the rest was read and dropped.
    public var stdoutTruncated: Bool = false
}

/// Runs a command to completion and reaps it.
///
/// With `captureStdout`, `options.stdout` is replaced by a pipe that is read while waiting: the
/// pipe and the child's pidfd are polled together, so a child writing more than a pipe holds
/// never deadlocks against the wait. Output past `stdoutLimit` is read and dropped. Once the
/// child has exited, what is left in the pipe is drained without waiting for EOF (a background
/// grandchild may hold the pipe open).
///
/// When `timeout` passes first, the child is SIGKILLed and reaped, `timedOut` is true and
/// `status` nil. Errors after the spawn also kill and reap the child before being thrown.
/// Blocks the calling thread throughout.
public func runCommand(
    _ options: SpawnOptions, captureStdout: Bool, stdoutLimit: Int = 16 << 20, timeout: Duration
) throws(OSError) -> CommandResult {
    let deadline = Deadline(timeout)
    var options = options
    var readEnd: Int32 = -1
    var writeEnd: Int32 = -1
    if captureStdout {
        (readEnd, writeEnd) = try makePipe()
        options.stdout = .fd(writeEnd)
    }
    defer { closeDescriptor(readEnd) }

    let pid: pid_t
    do {
        if captureStdout { try setNonBlocking(readEnd) }
        pid = try spawnProcess(options)
    } catch {
        closeDescriptor(writeEnd)
        throw error
    }
    closeDescriptor(writeEnd)   // the child has its copy; ours would keep the pipe from EOF

    var output = OutputBuffer(limit: stdoutLimit)
    do {
        let status = try superviseChild(pid, readEnd: readEnd, output: &output, deadline: deadline)
        return CommandResult(status: status, stdout: output.bytes, timedOut: status == nil,
                             stdoutTruncated: output.truncated)
    } catch {
        // ECHILD: someone else reaped it, and its pid may already belong to another process.
        if error.errno != ECHILD {
            _ = kill(pid, SIGKILL)
            _ = try? reapChild(pid)
        }
        throw error
    }
}

/// Reads `readEnd` (if >= 0) into `output` until the child exits, then drains it. Returns the
/// status, or nil after killing and reaping the child at the deadline.
private func superviseChild(
    _ pid: pid_t, readEnd: Int32, output: inout OutputBuffer, deadline: Deadline
) throws(OSError) -> ExitStatus? {
    let pidfd = try openPidfd(pid)   // nil: no pidfd_open; poll in slices with waitpid(WNOHANG)
    defer { if let pidfd { closeDescriptor(pidfd) } }
    var pipeOpen = readEnd >= 0
    while true {
        var entries: [pollfd] = []
        if pipeOpen { entries.append(pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)) }
        if let pidfd { entries.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
        _ = try sys("poll") {
            var timeout = deadline.pollTimeout
            if pidfd == nil { timeout = timeout < 0 ? 10 : min(timeout, 10) }
            return poll(&entries, nfds_t(entries.count), timeout)
        }
        if pipeOpen, entries[0].revents != 0 {
            pipeOpen = try output.drain(readEnd, deadline)
        }
        let exited: ExitStatus?
        if pidfd != nil {
            // The pidfd is always the last entry; readable once the child has exited.
            exited = entries[entries.count - 1].revents != 0 ? try reapChild(pid) : nil
        } else {
            exited = try tryReapChild(pid)
        }
        if let exited {
            if pipeOpen { _ = try output.drain(readEnd, deadline) }
            return exited
        }
        if deadline.hasPassed {
            _ = kill(pid, SIGKILL)
            _ = try reapChild(pid)
            return nil
        }
    }
}

/// Captured output with a size limit.
private struct OutputBuffer {
    let limit: Int
    var bytes: [UInt8] = []
    var truncated = false

    init(limit: Int) { self.limit = max(limit, 0) }

    /// Reads the non-blocking `fd` until it would block (true) or reaches EOF (false). Stops
    /// early, reporting true, if `deadline` passes while a writer keeps the pipe full.
    mutating func drain(_ fd: Int32, _ deadline: Deadline) throws(OSError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(OSError) in
                    try sysNonBlocking("read") { read(fd, buffer.baseAddress, buffer.count) }
                }
            }.get()
            guard let count else { return true }
            if count == 0 { return false }
            let room = limit - bytes.count
            if count > room { truncated = true }
            bytes.append(contentsOf: chunk[0..<min(count, room)])
            if deadline.hasPassed { return true }
        }
    }
}
