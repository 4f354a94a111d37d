import Glibc
import RundleJSON
import RundleKeeper
import RundleOS
import Testing

/// What the keeper integration tests need: root, runc, the busybox rootfs from bundles-fixtures/
/// and the built `rundle-keeper`. Missing pieces skip the tests with the reason — except with
/// CI=true, where the tests run and fail on it.
enum KeeperTestEnvironment {
    struct Paths: Sendable {
        let keeper: String
        let runtime: String
        let rootfs: String
    }

    static let found: Result<Paths, TestFailure> = find()
    static let keeperBinary: Result<String, TestFailure> = findKeeper()

    /// For tests that need only the keeper binary (fake runtimes): no root, no runc.
    static var keeperRunnable: Bool {
        if case .success = keeperBinary { return true }
        return getenv("CI").map { String(cString: $0) } == "true"
    }

    static var keeperSkipReason: Comment {
        if case .failure(let problem) = keeperBinary { return Comment(rawValue: "fake-runtime tests skipped: \(problem)") }
        return ""
    }

    static var runnable: Bool {
        if case .success = found { return true }
        return getenv("CI").map { String(cString: $0) } == "true"
    }

    static var skipReason: Comment {
        if case .failure(let problem) = found { return Comment(rawValue: "keeper integration tests skipped: \(problem)") }
        return ""
    }

    static func require() throws -> Paths { try found.get() }

    private static func find() -> Result<Paths, TestFailure> {
        guard geteuid() == 0 else { return .failure(TestFailure("they need root")) }
        let env = { (name: String) -> String? in getenv(name).map { String(cString: $0) } }
        let runtime = env("RUNDLE_TEST_RUNC") ?? "/usr/sbin/runc"
        guard access(runtime, X_OK) == 0 else { return .failure(TestFailure("runc not found at \(runtime) (RUNDLE_TEST_RUNC)")) }

        let keeper: String
        switch keeperBinary {
        case .success(let path): keeper = path
        case .failure(let problem): return .failure(problem)
        }
        let binDir = parent(keeper)
        var rootfs = env("RUNDLE_TEST_ROOTFS")
        if rootfs == nil {
            var up = binDir
            for _ in 0..<5 {
                if fileExists(up + "/bundles-fixtures/build/busybox/bin/busybox") {
                    rootfs = up + "/bundles-fixtures/build/busybox"
                    break
                }
                up = parent(up)
            }
        }
        guard let rootfs, fileExists(rootfs + "/bin/busybox") else {
            return .failure(TestFailure("busybox rootfs not found (run bundles-fixtures/build-busybox-rootfs.sh, or set RUNDLE_TEST_ROOTFS)"))
        }
        // runc refuses a rootfs path that goes through a symlink.
        guard let resolved = realpath(rootfs, nil) else { return .failure(TestFailure("cannot resolve \(rootfs)")) }
        defer { free(resolved) }
        return .success(Paths(keeper: keeper, runtime: runtime, rootfs: String(cString: resolved)))
    }

    /// `rundle-keeper` next to the test bundle (swift build puts every product in one bin dir),
    /// or in RUNDLE_BIN_DIR.
    private static func findKeeper() -> Result<String, TestFailure> {
        let env = { (name: String) -> String? in getenv(name).map { String(cString: $0) } }
        var exe = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &exe, exe.count - 1)
        let exePath = length > 0 ? String(decoding: exe[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        var candidates: [String] = []
        if let dir = env("RUNDLE_BIN_DIR") { candidates.append(dir) }
        var dir = parent(exePath)
        for _ in 0..<3 {
            candidates.append(dir)
            dir = parent(dir)
        }
        guard let binDir = candidates.first(where: { access($0 + "/rundle-keeper", X_OK) == 0 }) else {
            return .failure(TestFailure("rundle-keeper not built next to the tests (\(candidates.first ?? "?")); set RUNDLE_BIN_DIR"))
        }
        return .success(binDir + "/rundle-keeper")
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}

/// One running busybox container (`sleep` as its init) with its own runc root and temp dir,
/// and the keepers started against it. `tearDown()` removes all of it, also after a failure:
/// the container (runc delete --force), every keeper and attach client started (SIGKILL by pid,
/// then reaped), and the temp dir.
final class KeeperFixture {
    let paths: KeeperTestEnvironment.Paths
    let temp: String
    let runtimeRoot: String
    let bundle: String
    let handle: String
    private(set) var children: [pid_t] = []

    init() throws {
        paths = try KeeperTestEnvironment.require()
        temp = try temporaryDirectory("it")
        runtimeRoot = temp + "/runc"
        bundle = temp + "/bundle"
        handle = "rk-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        do {
            try makeDirectories(bundle)
            try makeDirectories(runtimeRoot)
            try writeConfig()
            try runc(["run", "--detach", "--bundle", bundle, handle])
        } catch {
            tearDown()
            throw error
        }
    }

    private func writeConfig() throws {
        let result = try runCommand(SpawnOptions(executable: paths.runtime, arguments: ["spec", "--bundle", bundle]),
                                    captureStdout: true, timeout: .seconds(10))
        guard result.status == .exited(0) else { throw TestFailure("runc spec failed") }
        var config = try JSON.parse(try readFile(bundle + "/config.json"))
        config[path: ["root", "path"]] = JSON(paths.rootfs)
        config[path: ["root", "readonly"]] = JSON(true)
        config[path: ["process", "args"]] = JSON(["sleep", "1000000"])
        config[path: ["process", "terminal"]] = JSON(false)
        try writeFile(bundle + "/config.json", config.serializedBytes())
    }

    @discardableResult
    func runc(_ arguments: [String]) throws -> CommandResult {
        let log = temp + "/runc.log"
        let result = try runCommand(SpawnOptions(executable: paths.runtime, arguments: ["--root", runtimeRoot, "--log", log] + arguments),
                                    captureStdout: true, timeout: .seconds(30))
        guard result.status == .exited(0) else {
            let said = (try? readFile(log)).map(text) ?? ""
            throw TestFailure("runc \(arguments.joined(separator: " ")) failed (\(String(describing: result.status))): \(said)")
        }
        return result
    }

    /// A started keeper: its pid and the process directory.
    struct Started {
        let pid: pid_t
        let dir: String
        var layout: ProcessDirLayout { ProcessDirLayout(directory: dir) }
    }

    /// Makes a process dir with `process.json` and starts `rundle-keeper` for it the way the
    /// CLI does: posix_spawn + setsid, stdio /dev/null (stderr to `keeper.err` here), attach.sock
    /// bound beforehand and passed as fd 3 (unless `bindSocket` is false).
    func startKeeper(_ args: [String], tty: Bool = false, logLimit: UInt64? = nil, bindSocket: Bool = true,
                     longPath: Bool = false) throws -> Started {
        var dir = temp + "/processes/" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        if longPath { dir += "/" + String(repeating: "p", count: 50) + "/" + String(repeating: "q", count: 50) }
        try makeDirectories(dir, mode: 0o700)
        let layout = ProcessDirLayout(directory: dir)
        let spec: JSON = [
            "terminal": JSON(tty),
            "user": ["uid": 0, "gid": 0],
            "args": JSON(args),
            "env": JSON(["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"]),
            "cwd": "/",
        ]
        try writeFile(layout.processSpecPath, spec.serializedBytes())
        var arguments = ["--runtime", paths.runtime, "--runtime-root", runtimeRoot, "--container", handle, "--dir", dir]
        if tty { arguments.append("--tty") }
        if let logLimit { arguments += ["--log-limit", String(logLimit)] }
        var spawn = SpawnOptions(executable: paths.keeper, arguments: arguments)
        spawn.newSession = true
        let errors = try openDescriptor(dir + "/keeper.err", O_WRONLY | O_CREAT | O_TRUNC)
        defer { closeDescriptor(errors) }
        spawn.stderr = .fd(errors)
        var listener: Int32 = -1
        if bindSocket {
            listener = try makeUnixListener(path: layout.attachSocketPath)
            spawn.extraFiles = [listener]
        }
        defer { closeDescriptor(listener) }
        let pid = try spawnProcess(spawn)
        children.append(pid)
        return Started(pid: pid, dir: dir)
    }

    /// `rundle-keeper attach <dir>` as a separate process (a client that can be killed), its
    /// stdout and stderr into files.
    func startAttachProcess(_ started: Started, name: String, extra: [String] = []) throws -> (pid: pid_t, stdout: String, stderr: String) {
        let out = temp + "/\(name).out"
        let err = temp + "/\(name).err"
        let outFD = try openDescriptor(out, O_WRONLY | O_CREAT | O_TRUNC)
        let errFD = try openDescriptor(err, O_WRONLY | O_CREAT | O_TRUNC)
        defer { closeDescriptor(outFD); closeDescriptor(errFD) }
        var spawn = SpawnOptions(executable: paths.keeper, arguments: ["attach", started.dir] + extra)
        spawn.stdout = .fd(outFD)
        spawn.stderr = .fd(errFD)
        let pid = try spawnProcess(spawn)
        children.append(pid)
        return (pid, out, err)
    }

    /// Waits for a child started here to exit (and reaps it).
    func wait(_ pid: pid_t, timeout: Duration = .seconds(30)) throws -> RundleOS.ExitStatus {
        guard let status = try waitForChild(pid, timeout: timeout) else {
            throw TestFailure("process \(pid) did not exit within \(timeout)")
        }
        children.removeAll { $0 == pid }
        return status
    }

    /// The process's host pid, once the runtime wrote it.
    func processPid(_ started: Started) throws -> pid_t {
        var pid: pid_t?
        guard eventually(timeout: .seconds(15), {
            pid = (try? readFile(started.layout.pidPath)).flatMap { pid_t(text($0).filter { !$0.isWhitespace }) }
            return pid != nil
        }), let pid else { throw TestFailure("no pid file in \(started.dir)") }
        return pid
    }

    func tearDown() {
        _ = try? runCommand(SpawnOptions(executable: paths.runtime, arguments: ["--root", runtimeRoot, "delete", "--force", handle]),
                            captureStdout: true, timeout: .seconds(30))
        for pid in children {
            _ = kill(pid, SIGKILL)
            _ = try? waitForChild(pid, timeout: .seconds(10))
        }
        children = []
        removeTemporary(temp)
    }
}

/// Output captured through temp files (no pipe to drain concurrently).
struct CapturedOutput {
    let stdoutPath: String
    let stderrPath: String
    let stdoutFD: Int32
    let stderrFD: Int32

    init(in directory: String, _ name: String) throws {
        stdoutPath = directory + "/\(name).stdout"
        stderrPath = directory + "/\(name).stderr"
        stdoutFD = try openDescriptor(stdoutPath, O_RDWR | O_CREAT | O_TRUNC)
        stderrFD = try openDescriptor(stderrPath, O_RDWR | O_CREAT | O_TRUNC)
    }

    var options: AttachOptions {
        var options = AttachOptions()
        options.stdoutFD = stdoutFD
        options.stderrFD = stderrFD
        return options
    }

    func stdout() throws -> [UInt8] { try readFile(stdoutPath, limit: 64 << 20) }
    func stderr() throws -> [UInt8] { try readFile(stderrPath, limit: 64 << 20) }

    func close() {
        closeDescriptor(stdoutFD)
        closeDescriptor(stderrFD)
    }
}
