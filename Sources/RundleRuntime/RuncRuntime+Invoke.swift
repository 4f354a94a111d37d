import Glibc
import RundleOCI
import RundleOS

extension RuncRuntime {
    /// The global flags every call starts with.
    func globalArguments(logPath: String) -> [String] {
        ["--root", root, "--log", logPath, "--log-format", "json"]
    }

    /// A log path no other call uses; removed by the caller once read.
    func freshLogPath(_ verb: String) -> String {
        let token = UInt64.random(in: 0...UInt64.max)
        return "\(logDirectory)/\(verb)-\(getpid())-\(String(token, radix: 36)).log"
    }

    func requireBinary(_ verb: String) throws(RuntimeError) -> String {
        guard let binaryPath else {
            throw RuntimeError(kind: .launchFailed, verb: verb, message: "runtime '\(name)' was not found on PATH", runtimeName: name)
        }
        return binaryPath
    }

    /// The funnel for calls that must finish by a deadline: runs the runtime, turns a non-zero
    /// exit into a typed error carrying the runtime's own last error line, and returns stdout.
    func invoke(_ verb: String, _ args: [String], capture: Bool = false, timeout: Duration, extraFiles: [Int32] = []) throws(RuntimeError) -> [UInt8] {
        let binary = try requireBinary(verb)
        let logPath = freshLogPath(verb)
        defer { try? removeFile(logPath) }
        var options = SpawnOptions(executable: binary, arguments: globalArguments(logPath: logPath) + args)
        options.extraFiles = extraFiles
        let result: CommandResult
        do {
            result = try runCommand(options, captureStdout: capture, timeout: timeout)
        } catch {
            throw RuntimeError(kind: .launchFailed, verb: verb, message: "could not start \(name): \(error)", runtimeName: name)
        }
        if result.timedOut {
            throw RuntimeError(
                kind: .timedOut, verb: verb,
                message: "\(name) \(verb) did not finish within \(timeout) and was killed (a process in D state or a frozen cgroup?)",
                runtimeName: name)
        }
        guard let status = result.status, status != .exited(0) else { return result.stdout }
        throw failure(verb: verb, status: status, logPath: logPath)
    }

    /// Classifies a failed call from its log, so callers switch on kinds, not on strings.
    func failure(verb: String, status: ExitStatus, logPath: String) -> RuntimeError {
        let log = (try? readFile(logPath, limit: 1 << 20)) ?? []
        let message = RuntimeLog.lastError(log) ?? "\(name) \(verb) exited with status \(status.shellCode)"
        return RuntimeError(kind: RuntimeErrorClassifier.kind(verb: verb, message: message), verb: verb, message: message, status: status, runtimeName: name)
    }
}
