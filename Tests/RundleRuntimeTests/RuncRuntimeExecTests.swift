import Glibc
import Testing
import RundleJSON
import RundleOCI
import RundleOS
@testable import RundleRuntime

/// `exec` against fake runtimes: the process spec through fd 3, foreground exit statuses, the
/// error kinds that become exit codes 126 and 127, and the detached deadline.
@Suite struct RuncRuntimeExecTests {
    /// Copies whatever `--process` names into `$dir/process.json`, as runc reads it.
    static let copyProcessSpec = """
        process=
        while [ $# -gt 0 ]; do
            if [ "$1" = --process ]; then process="$2"; fi
            shift
        done
        cat "$process" > "$dir/process.json" || exit 97
        """

    static let spec: JSON = [
        "args": ["sh", "-c", "echo \"héllo\" 🐳"], "cwd": "/tmp", "terminal": false,
        "user": ["uid": 1000, "gid": 1000], "env": ["PATH=/bin", "A=1"],
    ]

    func execOptions(_ json: JSON = spec) -> ExecOptions {
        var options = ExecOptions(processJSON: json.serializedBytes())
        options.stdio = .null
        return options
    }

    @Test func theProcessSpecArrivesThroughFD3() throws {
        let fake = try FakeRuntime(Self.copyProcessSpec)
        defer { fake.remove() }
        let bytes = Self.spec.serializedBytes()
        let status = try fake.runtime().exec(id: "h1", execOptions())
        #expect(status == .exited(0))
        #expect(fake.file("process.json") == bytes)
        #expect(try fake.verbArguments() == ["exec", "--process", "/proc/self/fd/3", "h1"])
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func aLargeSpecFitsThePipe() throws {
        let fake = try FakeRuntime(Self.copyProcessSpec)
        defer { fake.remove() }
        var big = Self.spec
        big["env"] = JSON((0..<1000).map { "VAR_\($0)=\(String(repeating: "x", count: 40))" })
        let bytes = big.serializedBytes()
        try #require(bytes.count > 50_000 && bytes.count < 60 * 1024)
        #expect(try fake.runtime().exec(id: "h1", execOptions(big)) == .exited(0))
        #expect(fake.file("process.json") == bytes)
    }

    @Test func aSpecBeyondThePipeIsRefused() throws {
        let fake = try FakeRuntime(#"touch "$dir/ran""#)
        defer { fake.remove() }
        var huge = Self.spec
        huge["env"] = JSON((0..<2000).map { "VAR_\($0)=\(String(repeating: "x", count: 40))" })
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().exec(id: "h1", execOptions(huge)) }
        #expect(error?.kind == .failed)
        #expect(error?.message.contains("60 KiB limit") == true)
        #expect(fake.file("ran") == nil)
    }

    @Test func flagsOfADetachedExecWithATerminal() throws {
        let fake = try FakeRuntime(Self.copyProcessSpec)
        defer { fake.remove() }
        var options = execOptions()
        options.detach = true
        options.pidFile = "/depot/h1/processes/p1/pid"
        options.consoleSocket = "/depot/h1/processes/p1/console.sock"
        #expect(try fake.runtime().exec(id: "h1", options) == .exited(0))
        #expect(try fake.verbArguments() == [
            "exec", "--process", "/proc/self/fd/3", "--detach", "--pid-file", "/depot/h1/processes/p1/pid",
            "--tty", "--console-socket", "/depot/h1/processes/p1/console.sock", "h1",
        ])
        #expect(fake.file("process.json") == Self.spec.serializedBytes())
    }

    @Test func foregroundReturnsTheProcessExitStatus() throws {
        let fake = try FakeRuntime(#": > "$log"; exit 3"#)
        defer { fake.remove() }
        #expect(try fake.runtime().exec(id: "h1", execOptions()) == .exited(3))
        #expect(try fake.leftoverLogs() == [])
    }

    /// A process may exit 255 or 1 itself; without an error line, that is its status.
    @Test func exit255WithoutAnErrorLineIsTheProcesssOwn() throws {
        let fake = try FakeRuntime(appendLog([("info", "exec'd"), ("warning", "a warning")]) + "\nexit 255")
        defer { fake.remove() }
        #expect(try fake.runtime().exec(id: "h1", execOptions()) == .exited(255))
    }

    @Test func aProcessKilledByASignalIsAStatus() throws {
        let fake = try FakeRuntime("kill -9 $$")
        defer { fake.remove() }
        #expect(try fake.runtime().exec(id: "h1", execOptions()) == .signaled(9))
    }

    @Test func anErrorLineAfterASuccessfulExitIsIgnored() throws {
        let fake = try FakeRuntime(appendLog([("error", "some noise")]) + "\nexit 0")
        defer { fake.remove() }
        #expect(try fake.runtime().exec(id: "h1", execOptions()) == .exited(0))
    }

    @Test(arguments: [
        // runc 1.1
        ("exec: \"x\": executable file not found in $PATH", RuntimeError.Kind.executableNotFound),
        ("exec failed: unable to start container process: exec: \"x\": executable file not found in $PATH", .executableNotFound),
        ("exec: \"/x\": stat /x: no such file or directory", .executableNotFound),
        ("exec failed: unable to start container process: exec: \"/x\": stat /x: no such file or directory", .executableNotFound),
        ("exec: \"/tmp\": permission denied", .notExecutable),
        ("exec failed: unable to start container process: exec: \"/etc/passwd\": permission denied", .notExecutable),
        ("chdir to cwd (\"/nope\") set in config.json failed: no such file or directory", .failed),
        ("exec failed: unable to start container process: chdir to cwd (\"/nope\") set in config.json failed: no such file or directory", .failed),
        ("container does not exist", .containerNotFound),
        ("cannot exec in a stopped container", .failed),
        // crun 1.8
        ("executable file `x` not found in $PATH: No such file or directory", .executableNotFound),
        ("open executable: Operation not permitted", .notExecutable),
        ("open executable: Permission denied", .notExecutable),
        ("error opening file `/run/crun/h1/status`: No such file or directory", .containerNotFound),
    ])
    func runtimeFailuresAreClassified(_ message: String, _ kind: RuntimeError.Kind) throws {
        let fake = try FakeRuntime(appendLog([("info", "exec"), ("error", message)]) + "\nexit 255")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().exec(id: "h1", execOptions()) }
        #expect(error?.kind == kind)
        #expect(error?.message == message)
        #expect(error?.verb == "exec")
        #expect(error?.status == .exited(255))
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func aNonJSONLineIsARuntimeFailure() throws {
        let fake = try FakeRuntime(appendRawLog("runc: fatal: cannot exec") + "\nexit 1")
        defer { fake.remove() }
        let error = runtimeError { () throws(RuntimeError) in try fake.runtime().exec(id: "h1", execOptions()) }
        #expect(error?.kind == .failed)
        #expect(error?.message == "runc: fatal: cannot exec")
    }

    @Test func aForegroundExecHasNoDeadline() throws {
        // Longer than every deadline set below: a user's process may run as long as it likes.
        let fake = try FakeRuntime("""
            sleep 1
            exit 4
            """)
        defer { fake.remove() }
        let runtime = fake.runtime {
            $0.detachedExec = .milliseconds(100)
            $0.run = .milliseconds(100)
            $0.state = .milliseconds(100)
        }
        #expect(try runtime.exec(id: "h1", execOptions()) == .exited(4))
    }

    @Test func aHangingDetachedExecIsKilledAtItsDeadline() throws {
        let fake = try FakeRuntime(#"echo $$ > "$dir/pid"; exec sleep 100"#)
        defer { fake.remove() }
        var options = execOptions()
        options.detach = true
        let runtime = fake.runtime { $0.detachedExec = .milliseconds(300) }
        let error = runtimeError { () throws(RuntimeError) in try runtime.exec(id: "h1", options) }
        #expect(error?.kind == .timedOut)
        #expect(error?.verb == "exec")
        let pid = try #require(fake.file("pid").flatMap { pid_t(String(decoding: $0, as: UTF8.self).filter(\.isNumber)) })
        #expect(processIsGone(pid))
        #expect(try fake.leftoverLogs() == [])
    }

    @Test func theSpecPipeIsClosedInThisProcessAfterwards() throws {
        // The fake names the pipe it got as fd 3 ("pipe:[inode]"); no fd of ours may still be it.
        let fake = try FakeRuntime(#"readlink /proc/$$/fd/3 > "$dir/pipe""#)
        defer { fake.remove() }
        #expect(try fake.runtime().exec(id: "h1", execOptions()) == .exited(0))
        let pipe = String(decoding: try #require(fake.file("pipe")), as: UTF8.self).filter { !$0.isNewline }
        #expect(pipe.hasPrefix("pipe:["))
        let ours = try listDirectory("/proc/self/fd").compactMap { readLink("/proc/self/fd/" + $0) }
        #expect(!ours.contains(pipe))
    }
}
