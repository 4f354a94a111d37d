import RundleOCI
import RundleOS

/// Where a runtime-started process gets its standard streams.
public struct ProcessStdio: Sendable {
    public var stdin: StdioSpec
    public var stdout: StdioSpec
    public var stderr: StdioSpec

    public init(stdin: StdioSpec, stdout: StdioSpec, stderr: StdioSpec) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }

    public static let inherit = ProcessStdio(stdin: .inherit, stdout: .inherit, stderr: .inherit)
    public static let null = ProcessStdio(stdin: .null, stdout: .null, stderr: .null)
}

/// Options of `runtime run --detach` (create + start of the container's init).
public struct RunOptions: Sendable {
    public var bundle: String
    public var pidFile: String
    public var noNewKeyring = true

    public init(bundle: String, pidFile: String) {
        self.bundle = bundle
        self.pidFile = pidFile
    }
}

/// Options of `runtime exec`; the process spec arrives as JSON through `--process`.
public struct ExecOptions: Sendable {
    /// The process spec (OCI `process` object) serialized as JSON.
    public var processJSON: [UInt8]
    public var detach = false
    public var pidFile: String?
    public var consoleSocket: String?
    public var stdio: ProcessStdio = .inherit

    public init(processJSON: [UInt8]) { self.processJSON = processJSON }
}

/// A typed driver of an OCI runtime binary (runc, crun).
public protocol OCIRuntime: Sendable {
    /// The binary's name or path, for messages.
    var name: String { get }
    func run(id: String, _ options: RunOptions) throws(RuntimeError)
    /// Runs a process; in the foreground this returns the process's own exit status.
    func exec(id: String, _ options: ExecOptions) throws(RuntimeError) -> ExitStatus
    func kill(id: String, signal: Int32, all: Bool) throws(RuntimeError)
    func delete(id: String, force: Bool) throws(RuntimeError)
    func state(id: String) throws(RuntimeError) -> RuntimeState
    /// IDs of every container in this runtime's root.
    func list() throws(RuntimeError) -> [String]
    /// Freezes / thaws every process of the container.
    func pause(id: String) throws(RuntimeError)
    func resume(id: String) throws(RuntimeError)
    /// Applies new resource limits (an OCI `linux.resources` object) to the running container.
    func update(id: String, resourcesJSON: [UInt8]) throws(RuntimeError)
}
