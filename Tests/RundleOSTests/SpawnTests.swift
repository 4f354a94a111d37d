import Glibc
import Testing
@testable import RundleOS

@Suite struct SpawnTests {
    @Test func exitCodeIsReported() throws {
        let pid = try spawnProcess(shell("exit 7"))
        let status = try waitForChild(pid, timeout: .seconds(10))
        #expect(status == .exited(7))
        #expect(status?.shellCode == 7)
    }

    @Test func deathBySignalIsReported() throws {
        let pid = try spawnProcess(shell("kill -9 $$"))
        let status = try waitForChild(pid, timeout: nil)
        #expect(status == .signaled(9))
        #expect(status?.shellCode == 137)
    }

    @Test func missingExecutableThrows() {
        #expect(throws: OSError(errno: ENOENT, call: "posix_spawn", path: "/nonexistent/rundle")) {
            _ = try spawnProcess(SpawnOptions(executable: "/nonexistent/rundle", arguments: []))
        }
    }

    @Test func childSignalMaskIsEmptyWhenTheSpawningThreadBlocksSignals() throws {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGCHLD)
        // A synchronous test body stays on one thread, so this mask is the spawning thread's.
        #expect(pthread_sigmask(SIG_BLOCK, &blocked, &previous) == 0)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        // The premise: this thread really has SIGTERM blocked.
        let own = text(try readFile("/proc/thread-self/status"))
        let ownMask = own.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }
        #expect(ownMask != nil && ownMask != "SigBlk:\t0000000000000000")

        // grep itself, not `sh -c 'grep …'`: dash clears its signal mask at start-up, which
        // would hide an inherited mask (checked: with `sh -c` this test passes even without
        // POSIX_SPAWN_SETSIGMASK).
        let grep = try #require(resolveExecutable("grep"))
        let result = try runCommand(SpawnOptions(executable: grep, arguments: ["SigBlk", "/proc/self/status"]),
                                    captureStdout: true, timeout: .seconds(10))
        #expect(result.status == .exited(0))
        #expect(text(result.stdout) == "SigBlk:\t0000000000000000\n")
    }

    @Test func childSignalDispositionsAreDefault() throws {
        // SIGPIPE is commonly ignored by servers; a child must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let result = try runCommand(shell("grep SigIgn /proc/self/status"), captureStdout: true,
                                    timeout: .seconds(10))
        let mask = text(result.stdout).split(separator: "\t").last.map { $0.dropLast() } ?? ""
        let ignored = UInt64(mask, radix: 16) ?? .max
        #expect(ignored & (1 << (UInt64(SIGPIPE) - 1)) == 0)
    }

    @Test func extraFilesBecomeFd3AndUp() throws {
        let first = try makePipe()
        let second = try makePipe()
        // The write ends are closed below, right after the spawn: closing them again here would close
        // whatever another test (running in parallel) was given those numbers since.
        defer { [first.read, second.read].forEach(closeDescriptor) }
        var options = shell("echo three >&3; echo four >&4")
        options.extraFiles = [first.write, second.write]
        let pid = try spawnProcess(options)
        closeDescriptor(first.write)
        closeDescriptor(second.write)
        #expect(try waitForChild(pid, timeout: .seconds(10)) == .exited(0))
        #expect(text(try readAll(first.read, limit: 100, path: nil)) == "three\n")
        #expect(text(try readAll(second.read, limit: 100, path: nil)) == "four\n")
    }

    @Test func extraFilesMaySwapNumbers() throws {
        // Parent fds a and b sit inside the child's target range, each at the other's target:
        // the child's fd a must be parent b and its fd b parent a. A plain dup2 sequence would
        // clobber one source with the other before using it.
        let dir = try makeTemporaryDirectory("spawn")
        defer { cleanUp(dir) }
        let a = open("\(dir)/a", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        let b = open("\(dir)/b", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        let filler = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { [a, b, filler].forEach(closeDescriptor) }
        try #require(a > 3 && b > 3 && filler >= 0)
        var extraFiles = [Int32](repeating: filler, count: Int(max(a, b)) - 2)
        extraFiles[Int(a) - 3] = b
        extraFiles[Int(b) - 3] = a
        // dash only redirects fds 0-9; /proc/self/fd/N reopens whatever fd N is.
        var options = shell("echo to-a-slot > /proc/self/fd/\(a); echo to-b-slot > /proc/self/fd/\(b)")
        options.extraFiles = extraFiles
        let status = try waitForChild(try spawnProcess(options), timeout: .seconds(10))
        #expect(status == .exited(0))
        #expect(text(try readFile("\(dir)/b")) == "to-a-slot\n")
        #expect(text(try readFile("\(dir)/a")) == "to-b-slot\n")
    }

    @Test func unlistedFdsAreClosedInTheChild() throws {
        // Opened without O_CLOEXEC: only closefrom keeps it out of the child.
        let leaky = open("/dev/null", O_RDONLY)
        try #require(leaky >= 0)
        defer { closeDescriptor(leaky) }
        let result = try runCommand(
            shell("if [ -e /proc/$$/fd/\(leaky) ]; then echo leaked; else echo closed; fi"),
            captureStdout: true, timeout: .seconds(10))
        #expect(text(result.stdout) == "closed\n")
    }

    @Test func environmentAndWorkingDirectory() throws {
        var options = shell("echo \"$RUNDLE_TEST_VALUE\"; pwd")
        options.environment = ["RUNDLE_TEST_VALUE=hello", "PATH=/usr/bin:/bin"]
        options.workingDirectory = "/proc"
        let result = try runCommand(options, captureStdout: true, timeout: .seconds(10))
        #expect(text(result.stdout) == "hello\n/proc\n")
    }

    @Test func newSessionMakesTheChildASessionLeader() throws {
        var options = shell("cut -d' ' -f6 /proc/$$/stat; echo $$")
        options.newSession = true
        let result = try runCommand(options, captureStdout: true, timeout: .seconds(10))
        let lines = text(result.stdout).split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == lines[1])   // session id == its pid
    }

    @Test func resolvesExecutablesOnPath() {
        #expect(resolveExecutable("sh")?.hasSuffix("/sh") == true)
        #expect(resolveExecutable("/bin/sh") == "/bin/sh")
        #expect(resolveExecutable("/etc/passwd") == nil)
        #expect(resolveExecutable("rundle-no-such-command") == nil)
    }
}
