import Glibc
import RundleKeeper
import RundleOS
import Testing

/// rundle-keeper driving shell scripts in place of runc: the error paths the real runtime will
/// not produce on demand (a hang, an error log, no pid file), and the subreaper behaviour.
/// Needs only the built keeper (no root, no runc).
@Suite(.serialized, .enabled(if: KeeperTestEnvironment.keeperRunnable, KeeperTestEnvironment.keeperSkipReason),
       .timeLimit(.minutes(1)))
final class FakeRuntimeTests {
    let keeper: String
    let temp: String
    private var children: [pid_t] = []

    init() throws {
        keeper = try KeeperTestEnvironment.keeperBinary.get()
        temp = try temporaryDirectory("fake")
    }

    deinit {
        for pid in children {
            _ = kill(pid, SIGKILL)
            _ = try? waitForChild(pid, timeout: .seconds(10))
        }
        removeTemporary(temp)
    }

    /// A fake runtime: `body` runs after the arguments are parsed into $log and $pidfile.
    func fakeRuntime(_ body: String) throws -> String {
        let path = temp + "/runtime-\(UInt32.random(in: 0...UInt32.max))"
        let script = """
            #!/bin/sh
            while [ $# -gt 0 ]; do
              case "$1" in
                --log) log=$2; shift ;;
                --pid-file) pidfile=$2; shift ;;
              esac
              shift
            done
            \(body)

            """
        try writeFile(path, Array(script.utf8), mode: 0o755)
        return path
    }

    func startKeeper(runtime: String, extra: [String] = []) throws -> (pid: pid_t, dir: String) {
        let dir = temp + "/p\(UInt32.random(in: 0...UInt32.max))"
        try makeDirectories(dir)
        try writeFile(dir + "/process.json", Array("{}".utf8))
        var spawn = SpawnOptions(executable: keeper, arguments: [
            "--runtime", runtime, "--runtime-root", temp, "--container", "fake", "--dir", dir,
        ] + extra)
        spawn.newSession = true
        let pid = try spawnProcess(spawn)
        children.append(pid)
        return (pid, dir)
    }

    func waitKeeper(_ pid: pid_t) throws -> RundleOS.ExitStatus {
        guard let status = try waitForChild(pid, timeout: .seconds(30)) else { throw TestFailure("keeper \(pid) still running") }
        children.removeAll { $0 == pid }
        return status
    }

    func attachCapturing(_ dir: String) throws -> (AttachOutcome, String, String) {
        let captured = try CapturedOutput(in: temp, "c\(UInt32.random(in: 0...UInt32.max))")
        defer { captured.close() }
        let outcome = try attach(processDir: dir, options: captured.options)
        return (outcome, text(try captured.stdout()), text(try captured.stderr()))
    }

    @Test func aHangingRuntimeIsKilledAtTheDeadline() throws {
        let runtime = try fakeRuntime("exec sleep 100")
        let begin = ContinuousClock.now
        let (pid, dir) = try startKeeper(runtime: runtime, extra: ["--runtime-timeout", "1"])
        let (outcome, out, err) = try attachCapturing(dir)
        guard case .exited(125, let message?) = outcome else {
            Issue.record("expected 125 with a message, got \(outcome)")
            return
        }
        #expect(message.contains("did not start the process within"))
        #expect(out.isEmpty && err.isEmpty)
        #expect(try waitKeeper(pid) == .exited(0))
        #expect(ContinuousClock.now - begin < .seconds(10))
        #expect(ExitRecord.read(processDir: dir)?.kind == .runtimeFailed)
    }

    @Test func theRuntimesErrorLogIsTheMessageAndItsChatterIsNotOutput() throws {
        let runtime = try fakeRuntime("""
            echo 'runtime chatter' >&2
            echo '{"level":"info","msg":"starting"}' >> "$log"
            echo '{"level":"error","msg":"exec failed: unable to start container process: exec: \\"x\\": executable file not found in $PATH"}' >> "$log"
            exit 1
            """)
        let (pid, dir) = try startKeeper(runtime: runtime)
        #expect(try waitKeeper(pid) == .exited(0))
        let record = try #require(ExitRecord.read(processDir: dir))
        #expect(record.kind == .runtimeFailed && record.exitCode == 127)
        #expect(record.error == "exec failed: unable to start container process: exec: \"x\": executable file not found in $PATH")
        let (outcome, out, err) = try attachCapturing(dir)
        #expect(outcome == .exited(code: 127, message: record.error))
        #expect(out.isEmpty && err.isEmpty)
        // The runtime's log file is removed once read.
        #expect(try listDirectory(dir).allSatisfy { !$0.hasPrefix("exec-") })
    }

    @Test func aRuntimeWithoutAnErrorLineStillFails() throws {
        let (pid, dir) = try startKeeper(runtime: try fakeRuntime("exit 3"))
        #expect(try waitKeeper(pid) == .exited(0))
        let record = try #require(ExitRecord.read(processDir: dir))
        #expect(record.exitCode == 125 && record.error?.contains("exited with status 3") == true)
    }

    @Test func successWithoutAPidFileIsAFailure() throws {
        let (pid, dir) = try startKeeper(runtime: try fakeRuntime("exit 0"))
        #expect(try waitKeeper(pid) == .exited(0))
        let record = try #require(ExitRecord.read(processDir: dir))
        #expect(record.kind == .runtimeFailed && record.exitCode == 125 && record.error?.contains("pid file") == true)
    }

    @Test func aMissingRuntimeIsASetupError() throws {
        let (pid, dir) = try startKeeper(runtime: temp + "/no-such-runtime")
        #expect(try waitKeeper(pid) == .exited(2))
        let record = try #require(ExitRecord.read(processDir: dir))
        #expect(record.kind == .runtimeFailed && record.exitCode == 125 && record.error?.contains("could not start") == true)
        let (outcome, _, _) = try attachCapturing(dir)
        #expect(outcome == .exited(code: 125, message: record.error))
    }

    @Test func aProcessThatExitsBeforeTheRuntimeReturnsIsNotMissed() throws {
        // The "process" is the script's background child: it exits while the runtime still
        // runs, stays a zombie (the shell exec'd into sleep, which reaps nothing), and is
        // re-parented to the keeper when the "runtime" exits. Its short delay is part of the
        // scenario, not a wait: it makes sure the shell has become `sleep` (which never reaps)
        // before the child exits; without it the shell could reap the child first under load.
        let runtime = try fakeRuntime("""
            sh -c 'sleep 0.1; echo fake-out; echo fake-err >&2; exit 4' &
            echo $! > "$pidfile"
            exec sleep 0.5
            """)
        let (pid, dir) = try startKeeper(runtime: runtime)
        let (outcome, out, err) = try attachCapturing(dir)
        #expect(outcome == .exited(code: 4, message: nil))
        #expect(out == "fake-out\n" && err == "fake-err\n")
        #expect(try waitKeeper(pid) == .exited(0))
    }

    @Test func aProcessTheRuntimeReapedItselfIsNotWaitedForForever() throws {
        // Here the shell reaps its background child while it sleeps: the keeper never gets the
        // status. It must still finish, recording the status as unknown.
        let runtime = try fakeRuntime("""
            sh -c 'echo gone' &
            echo $! > "$pidfile"
            sleep 0.5
            exit 0
            """)
        let (pid, dir) = try startKeeper(runtime: runtime)
        let (outcome, out, _) = try attachCapturing(dir)
        #expect(outcome == .keeperLost)
        #expect(out == "gone\n")
        let record = try #require(ExitRecord.read(processDir: dir))
        #expect(record.kind == .keeperLost && record.exitCode == 255 && record.error?.contains("not the keeper's child") == true)
        #expect(try waitKeeper(pid) == .exited(0))
    }

    @Test func theKeeperAdoptsWhatTheRuntimeLeavesBehind() throws {
        let runtime = try fakeRuntime("""
            sleep 30 &
            echo $! > "$pidfile"
            exit 0
            """)
        let (keeperPid, dir) = try startKeeper(runtime: runtime)
        var process: pid_t?
        #expect(eventually {
            process = (try? readFile(dir + "/pid")).flatMap { pid_t(text($0).filter { !$0.isWhitespace }) }
            return process != nil && parentPid(of: process ?? 0) == keeperPid
        })
        let pid = try #require(process)
        _ = kill(pid, SIGKILL)
        let (outcome, _, _) = try attachCapturing(dir)
        #expect(outcome == .exited(code: 137, message: nil))
        #expect(try waitKeeper(keeperPid) == .exited(0))
        #expect(processIsGone(pid))
    }
}
