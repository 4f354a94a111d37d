import Glibc
import RundleKeeper
import RundleOS
import Testing

/// rundle-keeper against the real runc and a busybox container. Serialized: each test runs a
/// container and keepers, and the machine has two cores.
@Suite(.serialized, .enabled(if: KeeperTestEnvironment.runnable, KeeperTestEnvironment.skipReason),
       .timeLimit(.minutes(2)))
final class KeeperIntegrationTests {
    let fixture: KeeperFixture

    init() throws { fixture = try KeeperFixture() }
    deinit { fixture.tearDown() }

    /// Attaches in this process with output into files.
    func attachCapturing(_ started: KeeperFixture.Started, _ name: String,
                         configure: (inout AttachOptions) -> Void = { _ in }) throws -> (AttachOutcome, [UInt8], [UInt8]) {
        let captured = try CapturedOutput(in: fixture.temp, name)
        defer { captured.close() }
        var options = captured.options
        configure(&options)
        let outcome = try attach(processDir: started.dir, options: options)
        return (outcome, try captured.stdout(), try captured.stderr())
    }

    @Test func outputOfAProcessThatExitedBeforeAnyoneAttached() throws {
        let started = try fixture.startKeeper(["sh", "-c", "printf 'out-1\\nout-2\\n'; printf 'err-1\\n' >&2; printf 'out-3'; exit 3"])
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))   // nobody attached: the keeper is done
        #expect(ExitRecord.read(processDir: started.dir)?.exitCode == 3)
        #expect(!fileExists(started.layout.attachSocketPath))
        for round in 0..<2 {   // as often as asked
            let (outcome, out, err) = try attachCapturing(started, "round\(round)")
            #expect(outcome == .exited(code: 3, message: nil))
            #expect(text(out) == "out-1\nout-2\nout-3")
            #expect(text(err) == "err-1\n")
        }
        let live = try attachCapturing(started, "live") { $0.replay = false }
        #expect(live.0 == .exited(code: 3, message: nil) && live.1.isEmpty && live.2.isEmpty)
        let record = try #require(ExitRecord.read(processDir: started.dir))
        #expect(record.kind == .exited && record.signal == nil && record.error == nil && record.exitedAt > 1_600_000_000_000_000_000)
    }

    @Test func moreThanAPipeBufferWithNobodyAttached() throws {
        let started = try fixture.startKeeper(["sh", "-c", "seq 1 200000; seq 1 30000 >&2"])
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
        let (outcome, out, err) = try attachCapturing(started, "big")
        #expect(outcome == .exited(code: 0, message: nil))
        let expected = seqOutput(200_000)
        #expect(expected.count > 1 << 20)
        #expect(out.count == expected.count)
        #expect(out == expected)
        #expect(err == seqOutput(30_000))
    }

    @Test func theBoundStopsTheProcessUntilAClientAcknowledges() throws {
        let limit: UInt64 = 65536
        let started = try fixture.startKeeper(["sh", "-c", "seq 1 170000"], logLimit: limit)
        let expected = seqOutput(170_000)
        #expect(expected.count > 1 << 20)
        // The log fills up to the bound and stays there: the process is blocked in write().
        #expect(eventually { (try? fileSizeOf(started.layout.stdoutLogPath)) == limit })
        let pid = try fixture.processPid(started)
        sleepMilliseconds(500)
        #expect(try fileSizeOf(started.layout.stdoutLogPath) == limit)
        #expect(ExitRecord.read(processDir: started.dir) == nil)
        #expect(!processIsGone(pid))
        #expect(KeeperLiveness.isAlive(processDir: started.dir))

        let (outcome, out, _) = try attachCapturing(started, "bounded")
        #expect(outcome == .exited(code: 0, message: nil))
        #expect(out.count == expected.count)
        #expect(out == expected)   // every byte, in order
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))

        // What is kept afterwards is the newest bytes, at most the bound, and log.start says where.
        let starts = text(try readFile(started.layout.logStartPath)).split(separator: " ").compactMap { UInt64($0.filter(\.isNumber)) }
        let stdoutStart = try #require(starts.first)
        #expect(stdoutStart > 0 && stdoutStart <= UInt64(expected.count))
        #expect(UInt64(expected.count) - stdoutStart <= limit + (1 << 20))   // the bound, plus the drain after exit
        let (again, tail, _) = try attachCapturing(started, "tail")
        #expect(again == .exited(code: 0, message: nil))
        #expect(tail == Array(expected[Int(stdoutStart)...]))
        // The dropped part no longer takes disk space.
        var info = stat()
        #expect(stat(started.layout.stdoutLogPath, &info) == 0)
        #expect(UInt64(info.st_blocks) * 512 < UInt64(expected.count) / 2)
    }

    @Test(arguments: [
        (["sh", "-c", "exit 3"], 3, nil),
        (["sh", "-c", "kill -9 $$"], 137, 9),
        (["sh", "-c", "kill -TERM $$"], 143, 15),
        (["true"], 0, nil),
    ] as [([String], Int32, Int32?)])
    func exitStatuses(_ args: [String], _ code: Int32, _ signal: Int32?) throws {
        let started = try fixture.startKeeper(args)
        let (outcome, _, _) = try attachCapturing(started, "status")
        #expect(outcome == .exited(code: code, message: nil))
        let record = try #require(ExitRecord.read(processDir: started.dir))
        #expect(record.exitCode == code && record.signal == signal && record.kind == .exited)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func stdinIsForwardedAndEOFEndsIt() throws {
        let started = try fixture.startKeeper(["cat"])
        let input = try makePipe()
        defer { closeDescriptor(input.read) }
        try writeAll(input.write, Array("hello\nworld\nno newline".utf8))
        closeDescriptor(input.write)
        let (outcome, out, err) = try attachCapturing(started, "cat") { $0.stdinFD = input.read }
        #expect(outcome == .exited(code: 0, message: nil))
        #expect(text(out) == "hello\nworld\nno newline")
        #expect(err.isEmpty)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func stdinLargerThanTheQueueWaitsForTheProcess() throws {
        // 2 MiB of stdin for a process that only starts reading after a second: the keeper's
        // queue fills, the client is no longer read (parked), and nothing is lost.
        let started = try fixture.startKeeper(["sh", "-c", "sleep 1; cat"])
        var input: [UInt8] = []
        for number in 0..<200_000 { input.append(contentsOf: "stdin line \(number)\n".utf8) }
        #expect(input.count > 2 << 20)
        let path = fixture.temp + "/stdin.data"
        try writeFile(path, input)
        let fd = try openDescriptor(path, O_RDONLY)
        defer { closeDescriptor(fd) }
        let (outcome, out, _) = try attachCapturing(started, "bigstdin") { $0.stdinFD = fd }
        #expect(outcome == .exited(code: 0, message: nil))
        #expect(out.count == input.count)
        #expect(out == input)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func processIsTheKeepersChildAndNoZombieIsLeft() throws {
        let started = try fixture.startKeeper(["sh", "-c", "sleep 1000 & exec sleep 1000"])
        let pid = try fixture.processPid(started)
        #expect(eventually { parentPid(of: pid) == started.pid })
        #expect(KeeperLiveness.isAlive(processDir: started.dir))
        let record = try #require(KeeperLiveness.recorded(processDir: started.dir))
        #expect(record.pid == started.pid)
        try sendSignal(pid, SIGKILL)
        let (outcome, _, _) = try attachCapturing(started, "killed")
        #expect(outcome == .exited(code: 137, message: nil))
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
        #expect(processIsGone(pid))   // reaped by the keeper, not left a zombie
        #expect(!KeeperLiveness.isAlive(processDir: started.dir))
    }

    @Test func aGrandchildHoldingThePipeDoesNotHoldTheExit() throws {
        // The background sleep keeps stdout open after the shell exits; the keeper stops waiting
        // for EOF 2 s after the exit instead of waiting for the sleep.
        let started = try fixture.startKeeper(["sh", "-c", "echo before; sleep 30 & echo after; exit 5"])
        let begin = ContinuousClock.now
        let (outcome, out, _) = try attachCapturing(started, "grandchild")
        #expect(outcome == .exited(code: 5, message: nil))
        #expect(text(out) == "before\nafter\n")
        #expect(ContinuousClock.now - begin < .seconds(15))
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func aKilledClientReattachesAndGetsEveryByte() throws {
        let started = try fixture.startKeeper(["sh", "-c", "seq 1 50000; sleep 3; seq 50001 60000"])
        let client = try fixture.startAttachProcess(started, name: "victim")
        #expect(eventually { (try? fileSizeOf(client.stdout)) ?? 0 > 0 })
        _ = kill(client.pid, SIGKILL)
        #expect(try fixture.wait(client.pid) == RundleOS.ExitStatus.signaled(SIGKILL))
        let (outcome, out, _) = try attachCapturing(started, "again")
        #expect(outcome == .exited(code: 0, message: nil))
        #expect(out == seqOutput(60_000))
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func twoClientsAtOnceGetTheSameOutput() throws {
        let started = try fixture.startKeeper(["sh", "-c", "sleep 1; seq 1 40000; echo oops >&2; exit 7"])
        let first = try fixture.startAttachProcess(started, name: "first")
        let second = try fixture.startAttachProcess(started, name: "second")
        let (outcome, out, err) = try attachCapturing(started, "third")
        #expect(outcome == .exited(code: 7, message: nil))
        #expect(try fixture.wait(first.pid) == RundleOS.ExitStatus.exited(7))
        #expect(try fixture.wait(second.pid) == RundleOS.ExitStatus.exited(7))
        for stdout in [out, try readFile(first.stdout), try readFile(second.stdout)] {
            #expect(stdout == seqOutput(40_000))
        }
        for stderr in [err, try readFile(first.stderr), try readFile(second.stderr)] {
            #expect(text(stderr) == "oops\n")
        }
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test(arguments: [
        (["/no/such/binary"], 127),
        (["no-such-command"], 127),
        (["/etc/passwd"], 126),
    ] as [([String], Int32)])
    func runtimeFailuresCarryTheRuntimesMessage(_ args: [String], _ code: Int32) throws {
        let started = try fixture.startKeeper(args)
        let (outcome, out, err) = try attachCapturing(started, "missing")
        guard case .exited(let got, let message?) = outcome else {
            Issue.record("expected a runtime failure with a message, got \(outcome)")
            return
        }
        #expect(got == code)
        #expect(message.contains(args[0]))
        #expect(out.isEmpty && err.isEmpty)
        let record = try #require(ExitRecord.read(processDir: started.dir))
        #expect(record.kind == .runtimeFailed && record.exitCode == code && record.error == message)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func terminalProcessSeesTheWindowSizeAndItsInput() throws {
        let started = try fixture.startKeeper(["sh", "-c", "tty; read line; echo got:$line; stty size"], tty: true)
        // The local side: a pty of our own stands for the user's terminal.
        let (master, slave) = try openPseudoTerminal()
        defer { closeDescriptor(master); closeDescriptor(slave) }
        try setWindowSize(master, WindowSize(rows: 33, columns: 111))
        try writeAll(master, Array("hi\n".utf8))
        let (outcome, out, err) = try attachCapturing(started, "tty") {
            $0.stdinFD = slave
            $0.tty = true
        }
        #expect(outcome == .exited(code: 0, message: nil))
        let output = text(out)
        // The input may be echoed by the pty before `tty` prints: order is not fixed.
        #expect(output.contains("/dev/pts/"))
        #expect(output.contains("got:hi\r\n"))
        #expect(output.contains("33 111\r\n"))
        #expect(err.isEmpty)
        #expect(!fileExists(started.layout.stderrLogPath))
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func terminalStdinEOFIsVEOF() throws {
        let started = try fixture.startKeeper(["cat"], tty: true)
        let input = try makePipe()
        defer { closeDescriptor(input.read) }
        try writeAll(input.write, Array("line one\npartial".utf8))
        closeDescriptor(input.write)
        let (outcome, out, _) = try attachCapturing(started, "ttycat") { $0.stdinFD = input.read }
        #expect(outcome == .exited(code: 0, message: nil))
        // The pty echoes the input and cat prints it again (ONLCR turns \n into \r\n): each
        // part twice. cat exiting 0 shows the EOF arrived, after a partial line too (two VEOFs).
        let output = text(out)
        #expect(output.split(separator: "line one\r\n", omittingEmptySubsequences: false).count == 3)
        #expect(output.split(separator: "partial", omittingEmptySubsequences: false).count == 3)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func longProcessDirectoryAndKeeperBoundSocket() throws {
        let started = try fixture.startKeeper(["sh", "-c", "echo deep"], bindSocket: false, longPath: true)
        #expect(started.layout.attachSocketPath.utf8.count > 108)
        let (outcome, out, _) = try attachCapturing(started, "deep")
        #expect(outcome == .exited(code: 0, message: nil))
        #expect(text(out) == "deep\n")
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.exited(0))
    }

    @Test func aDeadKeeperIsReportedAsLost() throws {
        let started = try fixture.startKeeper(["sh", "-c", "echo partial; exec sleep 1000"])
        let pid = try fixture.processPid(started)
        #expect(eventually { (try? fileSizeOf(started.layout.stdoutLogPath)) == 8 })
        _ = kill(started.pid, SIGKILL)
        #expect(try fixture.wait(started.pid) == RundleOS.ExitStatus.signaled(SIGKILL))
        let (outcome, out, _) = try attachCapturing(started, "lost")
        #expect(outcome == .keeperLost)
        #expect(text(out) == "partial\n")   // what the log holds still comes out
        _ = kill(pid, SIGKILL)
    }
}

func fileSizeOf(_ path: String) throws -> UInt64 {
    let fd = try openDescriptor(path, O_RDONLY)
    defer { closeDescriptor(fd) }
    return try fileSizeAndBlock(fd).size
}
