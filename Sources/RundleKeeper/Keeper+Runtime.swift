import RundleOCI
import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where TTY console sockets are made: a short path, whatever the depot's length (a
/// sockaddr_un holds 107 bytes), private to root.
let consoleSocketDirectory = "/run/rundle/console"

extension Keeper {
    /// Starts `<runtime> --root R --log L --log-format json exec --detach --pid-file <dir>/pid
    /// --process <dir>/process.json [--tty --console-socket S] <handle>`.
    ///
    /// Without a TTY, the runtime's stdin, stdout and stderr are the child ends of three pipes,
    /// and runc hands them to the process as they are (pass-through). With one, the runtime's
    /// stdio is /dev/null and the process's pty master arrives on the console socket.
    func startRuntime() throws(KeeperSetupError) {
        var childEnds: [Int32] = []
        defer { for fd in childEnds { closeDescriptor(fd) } }   // the runtime has its copies

        var spawn = SpawnOptions(executable: config.runtime, arguments: [])
        var arguments = ["--root", config.runtimeRoot, "--log", freshRuntimeLogPath(), "--log-format", "json",
                         "exec", "--detach", "--pid-file", layout.pidPath, "--process", layout.processSpecPath]
        do {
            if config.tty {
                stdin.isTerminal = true   // stdin queues until the pty master arrives
                let path = "\(consoleSocketDirectory)/\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).sock"
                try makeDirectories(consoleSocketDirectory, mode: 0o700)
                consoleListener = try makeUnixListener(path: path, backlog: 1)
                consolePath = path
                arguments += ["--tty", "--console-socket", path]
            } else {
                let input = try makePipe()
                childEnds.append(input.read)
                stdin.fd = input.write
                try setNonBlocking(input.write)
                for index in streams.indices {
                    let output = try makePipe()
                    childEnds.append(output.write)
                    streams[index].fd = output.read
                    try setNonBlocking(output.read)
                    // Best effort: a smaller pipe only costs throughput. 1031 = F_SETPIPE_SZ.
                    _ = fcntl(output.read, 1031, KeeperLimits.pipeCapacity)
                }
                spawn.stdin = .fd(input.read)
                spawn.stdout = .fd(childEnds[1])
                spawn.stderr = .fd(childEnds[2])
            }
        } catch {
            throw KeeperSetupError("could not set up the process's stdio: \(error)")
        }
        arguments.append(config.container)
        spawn.arguments = arguments
        do {
            let pid = try spawnProcess(spawn)
            phase = .startingRuntime(pid: pid, deadline: .now + config.runtimeTimeout)
        } catch {
            throw KeeperSetupError("could not start \(config.runtime): \(error)")
        }
    }

    private func freshRuntimeLogPath() -> String {
        let directory = config.runtimeLogDir ?? layout.directory
        runtimeLogPath = "\(directory)/exec-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).log"
        return runtimeLogPath
    }

    /// The runtime must have finished by its deadline: kill it (it is reaped as usual, and the
    /// start counts as failed).
    func enforceRuntimeDeadline(now: ContinuousClock.Instant) {
        guard case .startingRuntime(let pid, let deadline) = phase, now >= deadline, !runtimeKilled else { return }
        runtimeTimedOut = true
        runtimeKilled = true
        diagnostic("\(config.runtime) exec did not finish within \(config.runtimeTimeout); killing it")
        _ = try? sendSignal(pid, SIGKILL)
    }

    /// The runtime exited: read its verdict. Success means the pid file names the process,
    /// which is now the keeper's child (runc's intermediate processes are gone, and the keeper
    /// is the nearest subreaper); failure is recorded with the runtime's own message.
    func runtimeExited(_ status: ExitStatus) {
        let log = (try? readFile(runtimeLogPath, limit: 1 << 20)) ?? []
        try? removeFile(runtimeLogPath)
        let name = lastPathComponent(config.runtime)

        if runtimeTimedOut {
            removeConsoleSocket()
            return runtimeFailed(code: RuntimeFailure.otherCode,
                                 message: "\(name) exec did not start the process within \(config.runtimeTimeout) and was killed")
        }
        guard status == .exited(0) else {
            removeConsoleSocket()
            let message = RuntimeLog.lastError(log) ?? "\(name) exec exited with status \(status.shellCode)"
            return runtimeFailed(code: RuntimeFailure.exitCode(message: message), message: message)
        }
        if config.tty {
            let received = receiveTerminal()
            removeConsoleSocket()
            guard received else {
                return runtimeFailed(code: RuntimeFailure.otherCode,
                                     message: "\(name) exec succeeded but sent no terminal on the console socket")
            }
        }
        guard let bytes = try? readFile(layout.pidPath, limit: 64), let pid = parseDecimal(bytes).flatMap(pid_t.init(exactly:)), pid > 0
        else {
            return runtimeFailed(code: RuntimeFailure.otherCode,
                                 message: "\(name) exec succeeded but left no valid pid file at \(layout.pidPath)")
        }
        phase = .running(pid: pid)
        let early = earlyExits.removeValue(forKey: pid)
        earlyExits = [:]
        if let early {
            processExited(early)
        } else if !isUnreapedChild(pid) {
            watchForeignProcess(pid)
        }
    }

    /// The pid file names a process that is not the keeper's child to reap. With runc and crun
    /// this does not happen: `exec -d` leaves the process to the nearest subreaper, the keeper
    /// (checked by the integration tests). A runtime that reaps it itself, or double-forks past
    /// another subreaper, would otherwise leave the keeper waiting forever: watch it with a
    /// pidfd instead, and record its exit with an unknown status (255, kind keeper-lost).
    private func watchForeignProcess(_ pid: pid_t) {
        diagnostic("process \(pid) is not the keeper's child; its exit status will be unknown")
        do {
            if let fd = try openProcessDescriptor(pid) {
                foreignProcess = fd
                return
            }
        } catch {
            // ESRCH: it is already gone.
        }
        processExited(nil)
    }

    /// The foreign process's pidfd polled readable: it has exited.
    func foreignProcessExited() {
        closeDescriptor(foreignProcess)
        foreignProcess = -1
        if case .running = phase { processExited(nil) }
    }

    /// Takes the pty master runc sent on the console socket. runc sends it (from inside the
    /// container, before starting the process) before `exec -d` returns, so once the runtime
    /// has exited successfully it is already waiting: both calls are non-blocking.
    private func receiveTerminal() -> Bool {
        do {
            guard let connection = try acceptConnection(consoleListener) else { return false }
            defer { closeDescriptor(connection) }
            guard let (fd, _) = try receiveDescriptor(connection), let master = fd else { return false }
            try setNonBlocking(master)
            ptyMaster = master
            stdin.fd = master
            stdin.isTerminal = true
            streams[0].fd = master
            if let size = pendingWindowSize {
                try? setWindowSize(master, size)
                pendingWindowSize = nil
            }
            return true
        } catch {
            diagnostic("receiving the terminal failed: \(error)")
            return false
        }
    }

    func removeConsoleSocket() {
        closeDescriptor(consoleListener)
        consoleListener = -1
        if let path = consolePath { try? removeFile(path) }
        consolePath = nil
    }

    /// The runtime could not start the process: nothing ran, so nothing is logged (what the
    /// runtime printed on the pipes is its own chatter, and its message is in exit.json).
    func runtimeFailed(code: Int32, message: String) {
        diagnostic("runtime failed: \(message)")
        for index in streams.indices where !streams[index].done { streams[index].close() }
        stdin.markClosed()
        recordExit(ExitRecord(exitCode: code, exitedAt: wallClockNanoseconds(), error: message, kind: .runtimeFailed))
    }
}

/// The decimal number in `bytes`, ignoring surrounding ASCII white space (bytes, not Characters:
/// see KeeperConfiguration.parse on why).
func parseDecimal(_ bytes: [UInt8]) -> Int64? {
    var value: Int64 = 0
    var digits = 0
    var ended = false
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard !ended, digits < 18 else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            if digits > 0 { ended = true }
        default:
            return nil
        }
    }
    return digits > 0 ? value : nil
}

func lastPathComponent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}
