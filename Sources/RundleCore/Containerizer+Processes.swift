import Glibc
import RundleJSON
import RundleKeeper
import RundleOS

extension Containerizer {
    /// Starts a process under its own `rundle-keeper` and returns its id. The keeper outlives
    /// this command: it holds the process's stdio (or pty), keeps its output in the process's
    /// directory and records its exit status there; anyone can attach later by id.
    public func startProcess(_ handle: String, _ request: ProcessRequest, id requestedID: String? = nil) throws(RundleError) -> String {
        let record = try runnableRecord(handle)
        let layout = depot.layout(handle)
        let id = requestedID ?? Self.generateProcessID()
        try Self.validateProcessID(id)
        guard fileExists(config.keeperPath) else {
            throw RundleError(.unavailable, "rundle-keeper was not found at \(config.keeperPath) (build it with scripts/build)")
        }
        let process = try processSpec(record: record, layout: layout, request: request)

        let dir = layout.processes + "/" + id
        do {
            if !isDirectory(layout.processes) { try makeDirectories(layout.processes, mode: 0o700) }
            try makeDirectory(dir, mode: 0o700)
        } catch {
            if error.errno == EEXIST {
                throw RundleError(.alreadyExists, "process id '\(id)' is already in use in container '\(handle)'", handle: handle)
            }
            throw RundleError(.internal, "cannot create \(dir)", handle: handle, cause: error)
        }
        let files = ProcessDirLayout(directory: dir)
        do {
            try writeFile(files.processSpecPath, process.serializedBytes(), mode: 0o600)
            // Bound here and handed over as fd 3, so a client may connect the moment this returns.
            let listener = try makeUnixListener(path: files.attachSocketPath)
            defer { closeDescriptor(listener) }
            let runtime = self.runtime(for: record)
            guard let runtimeBinary = runtime.binaryPath else {
                throw RundleError(.unavailable, "runtime '\(record.runtime)' was not found on PATH")
            }
            var args = ["--detach", "--runtime", runtimeBinary, "--runtime-root", runtime.root, "--container", handle,
                        "--dir", dir, "--runtime-log-dir", config.logDirectory]
            if request.tty { args.append("--tty") }
            if let limit = config.outputLogLimit { args += ["--log-limit", String(limit)] }
            var spawn = SpawnOptions(executable: config.keeperPath, arguments: args)
            spawn.extraFiles = [listener]
            spawn.newSession = true
            // The keeper forks and this child exits at once: reaping it here leaves no zombie in
            // a long-lived starter (the daemon), and the keeper belongs to init from now on.
            let intermediate = try spawnProcess(spawn)
            if let status = try waitForChild(intermediate, timeout: .seconds(10)), status != .exited(0) {
                throw RundleError(.internal, "rundle-keeper failed to start (\(status))", handle: handle)
            }
        } catch let error as RundleError {
            _ = try? removeTree(dir)
            throw error
        } catch {
            _ = try? removeTree(dir)
            throw RundleError(.internal, "cannot start the keeper of process '\(id)'", handle: handle, cause: error as? OSError)
        }
        return id
    }

    /// Streams a process's output (replayed from the start of what is kept unless `options.replay`
    /// is false), forwards stdin, and returns how it ended — also long after it exited.
    public func attach(_ handle: String, processID id: String, options: AttachOptions) throws(RundleError) -> AttachOutcome {
        let dir = try processDir(handle, id)
        do {
            return try RundleKeeper.attach(processDir: dir, options: options)
        } catch {
            throw RundleError(.unavailable, "cannot attach to process '\(id)'", handle: handle, cause: error)
        }
    }

    /// Sends `signal` to a running process. The process must still be its keeper's child, so a
    /// recycled pid is never signalled.
    public func signalProcess(_ handle: String, processID id: String, signal: Int32) throws(RundleError) {
        let dir = try processDir(handle, id)
        let files = ProcessDirLayout(directory: dir)
        if ExitRecord.read(processDir: dir) != nil {
            throw RundleError(.invalidState, "process '\(id)' has already exited", handle: handle)
        }
        guard let keeper = KeeperLiveness.recorded(processDir: dir), KeeperLiveness.isAlive(processDir: dir) else {
            throw RundleError(.invalidState, "process '\(id)' has no live keeper (run `rundle gc`)", handle: handle)
        }
        guard let pid = readPidFile(files.pidPath), parentPid(pid) == keeper.pid else {
            throw RundleError(.invalidState, "process '\(id)' is not running", handle: handle)
        }
        do { try sendSignal(pid, signal) } catch {
            throw RundleError(.internal, "cannot signal process '\(id)'", handle: handle, cause: error)
        }
    }

    /// Every process of a container, oldest first.
    public func processes(_ handle: String) throws(RundleError) -> [ProcessInfo] {
        try Handle.validate(handle)
        guard depot.exists(handle) else { throw notFound(handle) }
        let root = depot.layout(handle).processes
        let ids = (try? listDirectory(root)) ?? []
        var out: [(Int64, ProcessInfo)] = []
        for id in ids where !id.hasPrefix(".") {
            let dir = root + "/" + id
            out.append((modificationTime(dir), processInfo(id: id, dir: dir)))
        }
        return out.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1.id < $1.1.id) }.map(\.1)
    }

    func processInfo(id: String, dir: String) -> ProcessInfo {
        let files = ProcessDirLayout(directory: dir)
        let spec = (try? readFile(files.processSpecPath, limit: 1 << 20)).flatMap { try? JSON.parse($0) }
        let args = spec?["args"]?.stringArrayValue ?? []
        let tty = spec?["terminal"]?.boolValue ?? false
        let pid = readPidFile(files.pidPath)
        if let exit = ExitRecord.read(processDir: dir) {
            return ProcessInfo(state: "exited", id: id, pid: pid, exitCode: exit.exitCode, args: args, tty: tty, error: exit.error)
        }
        let state = KeeperLiveness.isAlive(processDir: dir) ? "running" : (KeeperLiveness.recorded(processDir: dir) == nil ? "starting" : "lost")
        return ProcessInfo(state: state, id: id, pid: pid, exitCode: nil, args: args, tty: tty, error: nil)
    }

    /// The directory of process `id` of `handle` (see ProcessDirLayout for its files).
    public func processDirectory(_ handle: String, _ id: String) throws(RundleError) -> String {
        try processDir(handle, id)
    }

    func processDir(_ handle: String, _ id: String) throws(RundleError) -> String {
        try Handle.validate(handle)
        try Self.validateProcessID(id)
        guard depot.exists(handle) else { throw notFound(handle) }
        let dir = depot.layout(handle).processes + "/" + id
        guard isDirectory(dir) else {
            throw RundleError(.notFound, "container '\(handle)' has no process '\(id)'", handle: handle)
        }
        return dir
    }

    /// Process ids follow the handle rules (they name a directory).
    static func validateProcessID(_ id: String) throws(RundleError) {
        do { try Handle.validate(id) } catch {
            throw RundleError(.invalidArgument, error.message.replacingOccurrences(of: "invalid handle", with: "invalid process id"))
        }
    }

    /// Twelve hex digits: short enough to type, random enough for one container.
    static func generateProcessID() -> String {
        let value = UInt64.random(in: 0...UInt64.max) & 0xffff_ffff_ffff
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Waits for every keeper of a container to finish (after its processes were killed), and
    /// kills one that does not within the deadline, so a destroy leaves no keeper behind.
    func stopKeepers(_ layout: DepotLayout) {
        guard let ids = try? listDirectory(layout.processes) else { return }
        for id in ids {
            let dir = layout.processes + "/" + id
            guard let keeper = KeeperLiveness.recorded(processDir: dir), KeeperLiveness.isAlive(processDir: dir) else { continue }
            if !waitForProcessExit(keeper.pid, timeout: config.timeouts.kill) {
                _ = try? sendSignal(keeper.pid, SIGKILL)
                _ = waitForProcessExit(keeper.pid, timeout: .seconds(2))
            }
        }
    }
}

func parentPid(_ pid: Int32) -> Int32? {
    guard let bytes = try? readFile("/proc/\(pid)/stat", limit: 4096) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    // comm may contain spaces and parentheses: fields start after the last ')'.
    guard let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
}

func modificationTime(_ path: String) -> Int64 {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
