import Glibc
import Testing
@testable import RundleOS

@Suite struct RunCommandTests {
    @Test func timeoutKillsAndReapsTheChild() throws {
        let dir = try makeTemporaryDirectory("run")
        defer { cleanUp(dir) }
        let started = ContinuousClock.now
        let result = try runCommand(shell("echo $$ > \(dir)/pid; exec sleep 30"), captureStdout: true,
                                    timeout: .milliseconds(200))
        #expect(result.timedOut)
        #expect(result.status == nil)
        #expect(ContinuousClock.now - started < .seconds(10))
        let pid = try #require(pid_t(text(try readFile("\(dir)/pid")).filter(\.isNumber)))
        #expect(processIsGone(pid))   // killed and reaped: not even a zombie is left
    }

    @Test func timeoutWithoutCapture() throws {
        let result = try runCommand(shell("exec sleep 30"), captureStdout: false,
                                    timeout: .milliseconds(100))
        #expect(result.timedOut && result.status == nil && result.stdout.isEmpty)
    }

    @Test func largeOutputDoesNotDeadlock() throws {
        // Far more than a pipe holds (64 KiB): the reader must drain while waiting.
        let result = try runCommand(
            SpawnOptions(executable: "/usr/bin/head", arguments: ["-c", "1000000", "/dev/zero"]),
            captureStdout: true, timeout: .seconds(30))
        #expect(result.status == .exited(0))
        #expect(!result.timedOut)
        #expect(result.stdout.count == 1_000_000)
        #expect(!result.stdoutTruncated)
    }

    @Test func outputPastTheLimitIsDropped() throws {
        let result = try runCommand(
            SpawnOptions(executable: "/usr/bin/head", arguments: ["-c", "300000", "/dev/zero"]),
            captureStdout: true, stdoutLimit: 1000, timeout: .seconds(30))
        #expect(result.status == .exited(0))   // the child was not blocked by the limit
        #expect(result.stdout.count == 1000)
        #expect(result.stdoutTruncated)
    }

    @Test func capturedOutputAndExitCode() throws {
        let result = try runCommand(shell("printf 'a\\nb'; exit 3"), captureStdout: true,
                                    timeout: .seconds(10))
        #expect(result.status == .exited(3))
        #expect(text(result.stdout) == "a\nb")
    }

    @Test func backgroundGrandchildHoldingThePipeDoesNotBlock() throws {
        let dir = try makeTemporaryDirectory("run")
        defer { cleanUp(dir) }
        defer {
            // The orphaned grandchild is not ours to reap; just stop it.
            if let pid = try? pid_t(text(readFile("\(dir)/grandchild")).filter(\.isNumber)) { kill(pid, SIGKILL) }
        }
        let started = ContinuousClock.now
        let result = try runCommand(shell("echo done; sleep 30 & echo $! > \(dir)/grandchild; exit 0"),
                                    captureStdout: true, timeout: .seconds(20))
        #expect(result.status == .exited(0))
        #expect(text(result.stdout) == "done\n")
        #expect(ContinuousClock.now - started < .seconds(15))
    }
}

@Suite struct WaitTests {
    @Test func waitForChildTimesOutAndLeavesTheChildRunning() throws {
        let pid = try spawnProcess(shell("exec sleep 30"))
        var reaped = false
        defer { if !reaped { kill(pid, SIGKILL); _ = try? waitForChild(pid, timeout: nil) } }
        #expect(try waitForChild(pid, timeout: .milliseconds(100)) == nil)
        #expect(!processIsGone(pid))
        try sendSignal(pid, SIGKILL)
        #expect(try waitForChild(pid, timeout: .seconds(10)) == .signaled(SIGKILL))
        reaped = true
        #expect(processIsGone(pid))
    }

    @Test func waitsForAProcessToExit() throws {
        let pid = try spawnProcess(shell("exec sleep 30"))
        defer { kill(pid, SIGKILL); _ = try? waitForChild(pid, timeout: nil) }
        #expect(!waitForProcessExit(pid, timeout: .milliseconds(100)))
        try sendSignal(pid, SIGTERM)
        #expect(waitForProcessExit(pid, timeout: .seconds(10)))
    }

    @Test func waitForProcessExitOfAPidThatIsGone() throws {
        let pid = try spawnProcess(shell("exit 0"))
        _ = try waitForChild(pid, timeout: nil)
        #expect(waitForProcessExit(pid, timeout: .milliseconds(10)))
    }

    @Test func signallingAGoneProcessThrowsESRCH() throws {
        let pid = try spawnProcess(shell("exit 0"))
        _ = try waitForChild(pid, timeout: nil)
        #expect(throws: OSError(errno: ESRCH, call: "kill", path: String(pid))) {
            try sendSignal(pid, SIGTERM)
        }
    }

    @Test func processStartTimeIsStableAndNilWhenGone() throws {
        let own = try #require(processStartTime(getpid()))
        #expect(own > 0)
        #expect(processStartTime(getpid()) == own)
        let pid = try spawnProcess(shell("exec sleep 30"))
        let child = processStartTime(pid)
        #expect(child != nil && child! >= own)
        kill(pid, SIGKILL)
        _ = try waitForChild(pid, timeout: nil)
        #expect(processStartTime(pid) == nil)
    }
}
