import Glibc
import RundleJSON
import RundleOCI
import RundleOS

/// Drives runc (or crun, which takes the same command line) with its own `--root`, a fresh JSON
/// log per call, and a deadline on every call that does not run a user process in the foreground.
public struct RuncRuntime: OCIRuntime {
    /// The binary as the user named it (`runc`, `crun`, or a path).
    public let name: String
    /// The resolved absolute path, or nil when it is not on PATH (every call then fails clearly).
    public let binaryPath: String?
    /// The runtime's state root (`--root`), so Rundle never touches the host runtime's containers.
    public let root: String
    /// Where per-call log files are written and removed again.
    public let logDirectory: String
    public var timeouts: RuntimeTimeouts

    public init(binary: String, root: String, logDirectory: String, timeouts: RuntimeTimeouts = RuntimeTimeouts()) {
        self.name = binary
        self.binaryPath = resolveExecutable(binary)
        self.root = root
        self.logDirectory = logDirectory
        self.timeouts = timeouts
    }

    public func run(id: String, _ options: RunOptions) throws(RuntimeError) {
        var args = ["run", "--detach", "--bundle", options.bundle, "--pid-file", options.pidFile]
        if options.noNewKeyring { args.append("--no-new-keyring") }
        args.append(id)
        _ = try invoke("run", args, timeout: timeouts.run)
    }

    public func kill(id: String, signal: Int32, all: Bool) throws(RuntimeError) {
        var args = ["kill"]
        if all { args.append("--all") }
        args += [id, String(signal)]
        _ = try invoke("kill", args, timeout: timeouts.kill)
    }

    public func delete(id: String, force: Bool) throws(RuntimeError) {
        _ = try invoke("delete", force ? ["delete", "--force", id] : ["delete", id], timeout: timeouts.delete)
    }

    public func state(id: String) throws(RuntimeError) -> RuntimeState {
        let out = try invoke("state", ["state", id], capture: true, timeout: timeouts.state)
        guard let json = try? JSON.parse(out), let state = RuntimeState(json: json) else {
            throw RuntimeError(kind: .failed, verb: "state", message: "\(name) state printed output that is not a state object", runtimeName: name)
        }
        return state
    }

    public func list() throws(RuntimeError) -> [String] {
        let out = try invoke("list", ["list", "--format", "json"], capture: true, timeout: timeouts.state)
        guard let json = try? JSON.parse(out) else {
            throw RuntimeError(kind: .failed, verb: "list", message: "\(name) list printed output that is not JSON", runtimeName: name)
        }
        // runc prints `null` for an empty root.
        return (json.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }
}
