import Glibc
import RundleOCI
import RundleOS

extension RuncRuntime {
    /// Runs `exec`; the process spec goes through a pipe as `--process /proc/self/fd/3`, so no
    /// temp file is left behind when the caller dies. A foreground exec has no deadline (it is the
    /// user's process); a detached one must be started within `timeouts.detachedExec`.
    public func exec(id: String, _ options: ExecOptions) throws(RuntimeError) -> ExitStatus {
        let binary = try requireBinary("exec")
        let logPath = freshLogPath("exec")
        defer { try? removeFile(logPath) }

        let specFD = try processSpecPipe(options.processJSON)
        defer { _ = Glibc.close(specFD) }

        var args = globalArguments(logPath: logPath) + ["exec", "--process", "/proc/self/fd/3"]
        if options.detach { args.append("--detach") }
        if let pidFile = options.pidFile { args += ["--pid-file", pidFile] }
        if let socket = options.consoleSocket { args += ["--tty", "--console-socket", socket] }
        args.append(id)

        var spawn = SpawnOptions(executable: binary, arguments: args)
        spawn.stdin = options.stdio.stdin
        spawn.stdout = options.stdio.stdout
        spawn.stderr = options.stdio.stderr
        spawn.extraFiles = [specFD]

        let status: ExitStatus
        do {
            let pid = try spawnProcess(spawn)
            let timeout: Duration? = options.detach ? timeouts.detachedExec : nil
            guard let finished = try waitForChild(pid, timeout: timeout) else {
                _ = try? sendSignal(pid, SIGKILL)
                _ = try? waitForChild(pid, timeout: nil)
                throw RuntimeError(kind: .timedOut, verb: "exec", message: "\(name) exec did not start the process within \(timeouts.detachedExec) and was killed", runtimeName: name)
            }
            status = finished
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError(kind: .launchFailed, verb: "exec", message: "could not start \(name): \(error)", runtimeName: name)
        }
        // A process may itself exit 255 or 1; only an error line in the runtime's log says the
        // runtime failed rather than the process.
        if status != .exited(0), let log = try? readFile(logPath, limit: 1 << 20), let message = RuntimeLog.lastError(log) {
            throw RuntimeError(kind: RuntimeErrorClassifier.kind(verb: "exec", message: message), verb: "exec", message: message, status: status, runtimeName: name)
        }
        return status
    }

    /// A pipe already holding the whole spec, its write end closed, so the runtime reads EOF.
    private func processSpecPipe(_ bytes: [UInt8]) throws(RuntimeError) -> Int32 {
        // Beyond the default pipe capacity a write would block before the reader starts.
        guard bytes.count < 60 * 1024 else {
            throw RuntimeError(kind: .failed, verb: "exec", message: "process spec is \(bytes.count) bytes, more than the 60 KiB limit", runtimeName: name)
        }
        do {
            let (readEnd, writeEnd) = try makePipe()
            defer { _ = Glibc.close(writeEnd) }
            try writeAll(writeEnd, bytes)
            return readEnd
        } catch {
            throw RuntimeError(kind: .launchFailed, verb: "exec", message: "could not pass the process spec: \(error)", runtimeName: name)
        }
    }
}
