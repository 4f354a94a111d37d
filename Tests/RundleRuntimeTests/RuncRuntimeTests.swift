import Glibc
import Testing
import RundleOCI
import RundleOS
@testable import RundleRuntime

/// The driver against fake runtimes: command lines, output parsing, errors, deadlines.
@Suite struct RuncRuntimeTests {
    @Test func stateIsParsed() throws {
        let fake = try FakeRuntime("""
            [ "$verb" = state ] || exit 98
            printf '%s' '{"ociVersion":"1.0.2","id":"h1","pid":4242,"status":"running","bundle":"/depot/h1","rootfs":"/depot/h1/rootfs","created":"2024-01-01T00:00:00Z","owner":""}'
            """)
        defer { fake.remove() }
        let state = try fake.runtime().state(id: "h1")
        #expect(state == RuntimeState(status: "running", pid: 4242, bundle: "/depot/h1"))
        #expect(try fake.verbArguments() == ["state", "h1"])
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func stateThatIsNotAStateObjectFails() throws {
        let fake = try FakeRuntime(#"echo 'this is not json'"#)
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().state(id: "h1") }
        #expect(error?.kind == .failed)
        #expect(error?.verb == "state")
        #expect(error?.message.contains("not a state object") == true)
    }

    @Test func listNull() throws {
        // runc prints `null` for an empty root.
        let fake = try FakeRuntime("echo null")
        defer { fake.remove() }
        #expect(try fake.runtime().list() == [])
        #expect(try fake.verbArguments() == ["list", "--format", "json"])
    }

    @Test func listEmptyArrayAsCrunPrintsIt() throws {
        let fake = try FakeRuntime(#"printf '[\n\n]\n'"#)
        defer { fake.remove() }
        #expect(try fake.runtime().list() == [])
    }

    @Test func listTwoContainers() throws {
        let fake = try FakeRuntime("""
            echo '[{"ociVersion":"1.0.2","id":"web1","pid":10,"status":"running","bundle":"/b1"},'
            echo ' {"ociVersion":"1.0.2","id":"db.2","pid":0,"status":"stopped","bundle":"/b2"}]'
            """)
        defer { fake.remove() }
        #expect(try fake.runtime().list() == ["web1", "db.2"])
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func listThatIsNotJSONFails() throws {
        let fake = try FakeRuntime("echo 'ID PID STATUS'")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().list() }
        #expect(error?.kind == .failed)
        #expect(error?.message.contains("not JSON") == true)
    }

    @Test func commandLines() throws {
        let fake = try FakeRuntime("exit 0")
        defer { fake.remove() }
        let runtime = fake.runtime()
        try runtime.run(id: "h1", RunOptions(bundle: "/depot/h1", pidFile: "/depot/h1/init.pid"))
        #expect(try fake.verbArguments() == ["run", "--detach", "--bundle", "/depot/h1", "--pid-file",
                                            "/depot/h1/init.pid", "--no-new-keyring", "h1"])
        var options = RunOptions(bundle: "/b", pidFile: "/p")
        options.noNewKeyring = false
        try runtime.run(id: "h2", options)
        #expect(try fake.verbArguments() == ["run", "--detach", "--bundle", "/b", "--pid-file", "/p", "h2"])
        try runtime.kill(id: "h1", signal: 9, all: true)
        #expect(try fake.verbArguments() == ["kill", "--all", "h1", "9"])
        try runtime.kill(id: "h1", signal: 15, all: false)
        #expect(try fake.verbArguments() == ["kill", "h1", "15"])
        try runtime.delete(id: "h1", force: true)
        #expect(try fake.verbArguments() == ["delete", "--force", "h1"])
        try runtime.delete(id: "h1", force: false)
        #expect(try fake.verbArguments() == ["delete", "h1"])
        #expect(runtime.name == fake.binary)
        #expect(runtime.binaryPath == fake.binary)
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func eachCallHasItsOwnLogFile() throws {
        let fake = try FakeRuntime(#"echo "$log" >> "$dir/logs-used""#)
        defer { fake.remove() }
        let runtime = fake.runtime()
        try runtime.kill(id: "h", signal: 9, all: false)
        try runtime.kill(id: "h", signal: 9, all: false)
        try runtime.delete(id: "h", force: false)
        let used = String(decoding: try #require(fake.file("logs-used")), as: UTF8.self).split(separator: "\n")
        #expect(used.count == 3)
        #expect(Set(used).count == 3)
        #expect(used.allSatisfy { $0.hasPrefix(fake.logDirectory + "/") })
        #expect(used[2].contains("/delete-"))
        #expect(try fake.leftoverLogs() == [])
    }

    /// A failing call's message is the runtime's last error-level log line, and its kind is read from it.
    @Test(arguments: [
        ("state", "container does not exist", RuntimeError.Kind.containerNotFound),
        ("kill", "container does not exist", .containerNotFound),
        ("delete", "cannot open directory '/run/rundle/crun/h1': No such file or directory", .containerNotFound),
        ("state", "error opening file `/run/rundle/crun/h1/status`: No such file or directory", .containerNotFound),
        ("run", "container with id exists: h1", .failed),
        ("run", "runc run failed: unable to start container process: error during container init: error mounting \"/x\" to rootfs at \"/y\": no such file or directory", .failed),
        // Exec-only kinds mean nothing for other verbs.
        ("run", "exec: \"x\": executable file not found in $PATH", .failed),
        ("kill", "open executable: Operation not permitted", .failed),
    ])
    func failureCarriesTheLastErrorLine(_ verb: String, _ message: String, _ kind: RuntimeError.Kind) throws {
        let fake = try FakeRuntime(appendLog([
            ("info", "starting"), ("error", "an earlier error"), ("warning", "about to fail"),
            ("error", message), ("debug", "exiting"),
        ]) + "\nexit 1")
        defer { fake.remove() }
        let runtime = fake.runtime()
        let error = runtimeError { () throws(RuntimeError) -> Any in
            switch verb {
            case "state": return try runtime.state(id: "h1")
            case "kill": return try runtime.kill(id: "h1", signal: 9, all: false)
            case "delete": return try runtime.delete(id: "h1", force: false)
            default: return try runtime.run(id: "h1", RunOptions(bundle: "/b", pidFile: "/p"))
            }
        }
        #expect(error?.message == message)
        #expect(error?.kind == kind)
        #expect(error?.verb == verb)
        #expect(error?.status == .exited(1))
        #expect(error?.description == "\(verb): \(message)")
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func fatalLinesCountAsErrors() throws {
        let fake = try FakeRuntime(appendLog([("error", "first"), ("fatal", "the real reason")]) + "\nexit 1")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().delete(id: "h", force: true) }
        #expect(error?.message == "the real reason")
    }

    @Test func failureWithoutALogLineGivesTheExitStatus() throws {
        let fake = try FakeRuntime(appendLog([("info", "nothing to see"), ("warning", "still nothing")]) + "\nexit 3")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().kill(id: "h", signal: 15, all: false) }
        #expect(error?.kind == .failed)
        #expect(error?.status == .exited(3))
        #expect(error?.message == "\(fake.binary) kill exited with status 3")
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func failureByASignalGivesTheShellCode() throws {
        let fake = try FakeRuntime("kill -9 $$")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().delete(id: "h", force: false) }
        #expect(error?.kind == .failed)
        #expect(error?.status == .signaled(9))
        #expect(error?.message.hasSuffix("delete exited with status 137") == true)
    }

    @Test func aLogLineThatIsNotJSONIsKeptAsTheMessage() throws {
        let fake = try FakeRuntime(appendLog([("info", "hello")])
            + "\n" + appendRawLog("panic: runtime error: invalid memory address or nil pointer dereference") + "\nexit 2")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().state(id: "h") }
        #expect(error?.message == "panic: runtime error: invalid memory address or nil pointer dereference")
        #expect(error?.kind == .failed)
        #expect(error?.status == .exited(2))
    }

    @Test func stdoutOfAFailedCallIsNotParsed() throws {
        let fake = try FakeRuntime(#"echo '{"status": "running", "pid": 1}'; "# + appendLog([("error", "container does not exist")]) + "\nexit 1")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().state(id: "h") }
        #expect(error?.kind == .containerNotFound)
    }

    @Test func aHangingRunIsKilledAtItsDeadline() throws {
        let fake = try FakeRuntime(#"echo $$ > "$dir/pid"; exec sleep 100"#)
        defer { fake.remove() }
        let runtime = fake.runtime { $0.run = .milliseconds(300) }
        let start = ContinuousClock.now
        let error = runtimeError { () throws(RuntimeError) in
            try runtime.run(id: "h1", RunOptions(bundle: "/b", pidFile: "/p"))
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.verb == "run")
        #expect(error?.message.contains("did not finish within") == true)
        // Well before the fake's own 100 s: the deadline, not the fake, ended the call.
        #expect(ContinuousClock.now - start < .seconds(60))
        let pid = try #require(fake.file("pid").flatMap { pid_t(String(decoding: $0, as: UTF8.self).filter(\.isNumber)) })
        // Killed and reaped by the driver: not running, and no zombie left behind.
        #expect(processIsGone(pid))
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func aHangingStateIsKilledAtItsDeadline() throws {
        // Holds the stdout pipe the driver reads: the deadline must still win.
        let fake = try FakeRuntime(#"echo $$ > "$dir/pid"; echo '{"status": '; exec sleep 100"#)
        defer { fake.remove() }
        let runtime = fake.runtime { $0.state = .milliseconds(300) }
        let error = runtimeError { () throws(RuntimeError) in try runtime.state(id: "h1") }
        #expect(error?.kind == .timedOut)
        let pid = try #require(fake.file("pid").flatMap { pid_t(String(decoding: $0, as: UTF8.self).filter(\.isNumber)) })
        #expect(processIsGone(pid))
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func aRuntimeNotOnPathFailsClearly() {
        let runtime = RuncRuntime(binary: "rundle-no-such-runtime", root: "/nonexistent", logDirectory: "/nonexistent")
        #expect(runtime.binaryPath == nil)
        let calls: [(String, () throws(RuntimeError) -> Void)] = [
            ("run", { () throws(RuntimeError) in try runtime.run(id: "h", RunOptions(bundle: "/b", pidFile: "/p")) }),
            ("kill", { () throws(RuntimeError) in try runtime.kill(id: "h", signal: 9, all: false) }),
            ("delete", { () throws(RuntimeError) in try runtime.delete(id: "h", force: true) }),
            ("state", { () throws(RuntimeError) in _ = try runtime.state(id: "h") }),
            ("list", { () throws(RuntimeError) in _ = try runtime.list() }),
            ("exec", { () throws(RuntimeError) in _ = try runtime.exec(id: "h", ExecOptions(processJSON: Array("{}".utf8))) }),
        ]
        for (verb, call) in calls {
            let error = runtimeError(call)
            #expect(error?.kind == .launchFailed)
            #expect(error?.verb == verb)
            #expect(error?.message == "runtime 'rundle-no-such-runtime' was not found on PATH")
        }
    }

    @Test func aRuntimeThatCannotBeStartedFailsClearly() throws {
        let dir = try makeTemporaryDirectory()
        defer { removeTemporaryDirectory(dir) }
        // Executable, but its interpreter does not exist: the exec itself fails.
        try writeFile(dir + "/broken-runc", Array("#!/nonexistent/interpreter\n".utf8), mode: 0o755)
        try makeDirectory(dir + "/logs")
        let runtime = RuncRuntime(binary: dir + "/broken-runc", root: dir + "/root", logDirectory: dir + "/logs")
        #expect(runtime.binaryPath != nil)
        let error = runtimeError { () throws(RuntimeError) in try runtime.delete(id: "h", force: false) }
        #expect(error?.kind == .launchFailed)
        #expect(error?.message.hasPrefix("could not start \(dir)/broken-runc") == true, "\(error?.message ?? "")")
        let execError = runtimeError { () throws(RuntimeError) in
            try runtime.exec(id: "h", ExecOptions(processJSON: Array("{}".utf8)))
        }
        #expect(execError?.kind == .launchFailed)
        #expect(try listDirectory(dir + "/logs") == [])
    }
}
