import Foundation
import GardenClient
import GardenProtocol
import Testing

/// `sh -c SCRIPT` as a Garden process spec.
private func shell(_ script: String) -> GardenProcessSpec {
    GardenProcessSpec(path: "sh", args: ["-c", script])
}

/// The results of many concurrent runs, filled from many threads.
private final class RunResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: (status: Int32?, stdout: String, stderr: String, error: String?)] = [:]

    func record(_ index: Int, status: Int32?, stdout: String, stderr: String, error: String?) {
        lock.lock()
        results[index] = (status, stdout, stderr, error)
        lock.unlock()
    }

    var all: [Int: (status: Int32?, stdout: String, stderr: String, error: String?)] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

@Suite("rundle serve: process stdin, TTYs, signals, attachers, env/user/rlimits, concurrency",
       .enabled(if: IntegrationEnvironment.enabled))
struct GardenProcessTests {
    @Test("stdin is delivered as it is written, and its EOF ends `cat`")
    func stdinDeliveredAndEOFClosesIt() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("stdin")))

        // Interactive: each piece comes back before the next is written; cat ends only at EOF.
        let queue = ByteQueue()
        let stdout = OutputBuffer()
        let cat = try client.run(handle, GardenProcessSpec(path: "cat"),
                                 io: ProcessIO(stdin: .queue(queue), stdout: .buffer(stdout)))
        queue.write("hello\n")
        #expect(stdout.wait(forText: "hello\n", timeout: .seconds(20)), "got \(stdout.string.debugDescription)")
        #expect(!cat.isFinished, "cat must wait for more stdin until EOF")
        queue.write("world\n")
        #expect(stdout.wait(forText: "world\n", timeout: .seconds(20)))
        #expect(!cat.isFinished)
        queue.close()
        #expect(try cat.wait(timeout: .seconds(30)) == 0)
        #expect(stdout.string == "hello\nworld\n")

        // A fixed stdin of 200 000 bytes arrives whole, then EOF.
        let counted = OutputBuffer()
        let wc = try client.run(handle, shell("wc -c"),
                                io: ProcessIO(stdin: .bytes(Array(repeating: UInt8(ascii: "z"), count: 200_000)),
                                              stdout: .buffer(counted)))
        #expect(try wc.wait(timeout: .seconds(30)) == 0)
        #expect(counted.string.trimmingCharacters(in: .whitespacesAndNewlines) == "200000")
    }

    @Test("the exit status comes even when stdin is never read (3 MiB queued, or stdin never closed)")
    func exitStatusWithUnreadStdin() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.tcpClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("unread")))

        // More stdin than the server queues (1 MiB) for a process that never reads it.
        let big = Array(repeating: UInt8(ascii: "x"), count: 3 << 20)
        let p1 = try client.run(handle, shell("sleep 0.3; exit 3"), io: ProcessIO(stdin: .bytes(big)))
        #expect(try p1.wait(timeout: .seconds(30)) == 3)

        // A stdin that never ends (no EOF is ever sent) and is never read.
        let queue = ByteQueue()
        defer { queue.close() }
        queue.write("never read\n")
        let p2 = try client.run(handle, shell("exit 4"), io: ProcessIO(stdin: .queue(queue)))
        #expect(try p2.wait(timeout: .seconds(30)) == 4)
    }

    @Test("TTY: default 24x80, an explicit size, `\\r\\n` line ends")
    func ttySizes() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("tty")))

        var spec = shell("stty size; echo hi")
        spec.tty = TTYSpec()
        let stdout = OutputBuffer()
        let p = try client.run(handle, spec, io: ProcessIO(stdout: .buffer(stdout)))
        #expect(try p.wait(timeout: .seconds(30)) == 0)
        #expect(stdout.string == "24 80\r\nhi\r\n", "got \(stdout.string.debugDescription)")

        var sized = shell("stty size; test -t 0 && test -t 1 && echo both-ttys")
        sized.tty = TTYSpec(windowSize: WindowSize(columns: 132, rows: 43))
        let out2 = OutputBuffer()
        let p2 = try client.run(handle, sized, io: ProcessIO(stdout: .buffer(out2)))
        #expect(try p2.wait(timeout: .seconds(30)) == 0)
        #expect(out2.string == "43 132\r\nboth-ttys\r\n", "got \(out2.string.debugDescription)")

        // A size with only one field set keeps the default for the other.
        var half = shell("stty size")
        half.tty = TTYSpec(windowSize: WindowSize(columns: 100))
        let out3 = OutputBuffer()
        let p3 = try client.run(handle, half, io: ProcessIO(stdout: .buffer(out3)))
        #expect(try p3.wait(timeout: .seconds(30)) == 0)
        // crun 1.8 once answered "stty: standard input" here (seen in one CI run, not reproduced):
        // recorded as a known issue under crun rather than hidden.
        withKnownIssue("crun: a one-field window size sometimes reaches the pty late", isIntermittent: true) {
            #expect(out3.string == "24 100\r\n", "got \(out3.string.debugDescription)")
        } when: { depot.env.runtime == "crun" }
    }

    @Test("TTY: stdin is echoed by the terminal and reaches the process; its EOF ends `cat`")
    func ttyStdin() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("ttyin")))
        var spec = GardenProcessSpec(path: "cat")
        spec.tty = TTYSpec()
        let queue = ByteQueue()
        let out = OutputBuffer()
        let p = try client.run(handle, spec, io: ProcessIO(stdin: .queue(queue), stdout: .buffer(out)))
        queue.write("abc\n")
        // The terminal's echo, then cat's copy.
        #expect(out.wait(forText: "abc\r\nabc\r\n", timeout: .seconds(20)), "got \(out.string.debugDescription)")
        #expect(!p.isFinished)
        queue.close()
        #expect(try p.wait(timeout: .seconds(30)) == 0)
        #expect(out.string == "abc\r\nabc\r\n", "got \(out.string.debugDescription)")
    }

    @Test("TTY: setTTY resizes the terminal and the process sees SIGWINCH")
    func ttyResize() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("winch")))

        var spec = shell("trap 'echo size=$(stty size)' WINCH; echo ready; while true; do sleep 0.05; done")
        spec.tty = TTYSpec(windowSize: WindowSize(columns: 80, rows: 24))
        let stdout = OutputBuffer()
        let p = try client.run(handle, spec, io: ProcessIO(stdout: .buffer(stdout)))
        #expect(stdout.wait(forText: "ready\r\n", timeout: .seconds(20)))
        try p.setTTY(TTYSpec(windowSize: WindowSize(columns: 100, rows: 30)))
        #expect(stdout.wait(forText: "size=30 100\r\n", timeout: .seconds(20)), "got \(stdout.string.debugDescription)")
        try p.setTTY(TTYSpec(windowSize: WindowSize(columns: 150, rows: 50)))
        #expect(stdout.wait(forText: "size=50 150\r\n", timeout: .seconds(20)), "got \(stdout.string.debugDescription)")
        try p.signal(.kill)
        #expect(try p.wait(timeout: .seconds(30)) == 137)
    }

    @Test("signals: TERM runs the process's trap (exit 42), KILL gives 137 and the process is gone")
    func signals() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("signals")))

        let out = OutputBuffer()
        let trapping = try client.run(handle, shell("trap 'echo trapped; exit 42' TERM; echo ready; while true; do sleep 0.05; done"),
                                      io: ProcessIO(stdout: .buffer(out)))
        #expect(out.wait(forText: "ready\n", timeout: .seconds(20)))
        try trapping.signal(.terminate)
        #expect(try trapping.wait(timeout: .seconds(30)) == 42)
        #expect(out.string == "ready\ntrapped\n")

        let out2 = OutputBuffer()
        let sleeper = try client.run(handle, shell("echo ready; sleep 100; echo after"), io: ProcessIO(stdout: .buffer(out2)))
        #expect(out2.wait(forText: "ready\n", timeout: .seconds(20)))
        #expect(try client.info(handle).processIDs.contains(sleeper.id))
        try sleeper.signal(.kill)
        #expect(try sleeper.wait(timeout: .seconds(30)) == 137)
        #expect(out2.string == "ready\n")
        #expect(pollUntil(10) { !((try? client.info(handle).processIDs.contains(sleeper.id)) ?? true) },
                "a killed process still listed in info")

        // TERM sent right after Run (no trap): the default action, 143.
        let early = try client.run(handle, GardenProcessSpec(path: "sleep", args: ["100"]))
        try early.signal(.terminate)
        #expect(try early.wait(timeout: .seconds(30)) == 143)
    }

    @Test("several attachers (unix and TCP) on one running process all get its exit code")
    func multipleAttachers() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("attachers")))

        let out = OutputBuffer()
        let p = try client.run(handle, shell("echo started; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo done; exit 9"),
                               io: ProcessIO(stdout: .buffer(out)))
        #expect(out.wait(forText: "started\n", timeout: .seconds(20)))
        let out1 = OutputBuffer(), out2 = OutputBuffer()
        let a1 = try client.attach(handle, processID: p.id, io: ProcessIO(stdout: .buffer(out1)))
        let a2 = try daemon.tcpClient.attach(handle, processID: p.id, io: ProcessIO(stdout: .buffer(out2)))
        let a3 = try client.attach(handle, processID: p.id)  // no streams at all
        #expect(!a1.isFinished && !a2.isFinished && !a3.isFinished)
        #expect(try client.run(handle, GardenProcessSpec(path: "touch", args: ["/tmp/go"])).wait(timeout: .seconds(30)) == 0)
        #expect(try a1.wait(timeout: .seconds(30)) == 9)
        #expect(try a2.wait(timeout: .seconds(30)) == 9)
        #expect(try a3.wait(timeout: .seconds(30)) == 9)
        #expect(try p.wait(timeout: .seconds(30)) == 9)
        // Each client gets what the process wrote while it was attached: the runner everything,
        // the attachers what came after they joined.
        #expect(out.string == "started\ndone\n", "\(out.string.debugDescription)")
        #expect(out1.string == "done\n", "\(out1.string.debugDescription)")
        #expect(out2.string == "done\n", "\(out2.string.debugDescription)")
        // A late attacher still gets the exit code.
        #expect(try daemon.tcpClient.attach(handle, processID: p.id).wait(timeout: .seconds(30)) == 9)
    }

    @Test("env: container spec then process spec (later wins); user; working directory")
    func envUserAndDirectory() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var container = GardenContainerSpec(handle: depot.handle("env"))
        container.env = ["A=from-container", "B=from-container", "SAME=c1", "SAME=c2"]
        let handle = try client.create(container)

        var spec = shell("echo \"$A|$B|$C|$SAME\"")
        spec.env = ["B=from-process", "C=from-process"]
        let out = OutputBuffer()
        #expect(try client.run(handle, spec, io: ProcessIO(stdout: .buffer(out))).wait(timeout: .seconds(30)) == 0)
        #expect(out.string == "from-container|from-process|from-process|c2\n", "got \(out.string.debugDescription)")

        var user = shell("echo $(id -un) $(id -u) $(id -g) $(pwd)")
        user.user = "alice"
        user.dir = "/tmp"
        let out2 = OutputBuffer()
        #expect(try client.run(handle, user, io: ProcessIO(stdout: .buffer(out2))).wait(timeout: .seconds(30)) == 0)
        #expect(out2.string == "alice 1000 1000 /tmp\n", "got \(out2.string.debugDescription)")

        var numeric = shell("echo $(id -u):$(id -g) $(pwd)")
        numeric.user = "1001:1001"
        numeric.dir = "/etc"
        let out3 = OutputBuffer()
        #expect(try client.run(handle, numeric, io: ProcessIO(stdout: .buffer(out3))).wait(timeout: .seconds(30)) == 0)
        #expect(out3.string == "1001:1001 /etc\n", "got \(out3.string.debugDescription)")

        // Root by default.
        let out4 = OutputBuffer()
        #expect(try client.run(handle, shell("id -u"), io: ProcessIO(stdout: .buffer(out4))).wait(timeout: .seconds(30)) == 0)
        #expect(out4.string == "0\n")

        // A user the container does not know is the Run's error.
        var unknown = shell("true")
        unknown.user = "mallory"
        #expect(throws: (any Error).self) { _ = try client.run(handle, unknown).wait(timeout: .seconds(30)) }
    }

    @Test("rlimits: nofile is applied as soft and hard limit")
    func rlimits() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("rlimits")))
        var spec = shell("ulimit -n; ulimit -Hn")
        spec.rlimits = ["nofile": 345]
        let out = OutputBuffer()
        #expect(try client.run(handle, spec, io: ProcessIO(stdout: .buffer(out))).wait(timeout: .seconds(30)) == 0)
        #expect(out.string == "345\n345\n", "got \(out.string.debugDescription)")

        // Without rlimits the value is something else (so the assertion above is not vacuous).
        let out2 = OutputBuffer()
        #expect(try client.run(handle, shell("ulimit -n"), io: ProcessIO(stdout: .buffer(out2))).wait(timeout: .seconds(30)) == 0)
        #expect(out2.string != "345\n")
    }

    @Test("a client that abandons leaves the process running; a later attach gets the rest of its output and exit code")
    func abandonThenAttach() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("abandon")))

        let out = OutputBuffer()
        let p = try client.run(handle, shell("echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; seq 1 500; echo err-late >&2; exit 5"),
                               io: ProcessIO(stdout: .buffer(out)))
        #expect(out.wait(forText: "first\n", timeout: .seconds(20)))
        p.abandon()
        do {
            _ = try p.wait(timeout: .seconds(10))
            Issue.record("wait after abandon returned a status")
        } catch {
            #expect(error.code == .abandoned, "\(error)")
        }
        #expect(out.string == "first\n")
        // Still running, on the server's side.
        #expect(try client.info(handle).processIDs.contains(p.id))
        let ps = try depot.rundle("ps", [handle])
        #expect(ps.stdout.split(separator: "\n").contains { $0.hasPrefix(p.id) && $0.contains("running") }, "\(ps)")

        // Let it finish while nobody is attached, then attach.
        #expect(try client.run(handle, GardenProcessSpec(path: "touch", args: ["/tmp/go"])).wait(timeout: .seconds(30)) == 0)
        #expect(pollUntil(30) { ((try? depot.rundle("ps", [handle]))?.stdout.contains("exited (5)")) ?? false })
        let out2 = OutputBuffer(), err2 = OutputBuffer()
        let again = try client.attach(handle, processID: p.id, io: ProcessIO(stdout: .buffer(out2), stderr: .buffer(err2)))
        #expect(try again.wait(timeout: .seconds(30)) == 5)
        #expect(out2.string == (1...500).map { "\($0)\n" }.joined(), "got \(out2.count) bytes: \(out2.string.prefix(40).debugDescription)")
        #expect(err2.string == "err-late\n")
    }

    @Test("50 concurrent runs, on both transports, each get their own output and exit code")
    func fiftyConcurrentRuns() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let handle = try daemon.unixClient.create(GardenContainerSpec(handle: depot.handle("many")))
        let clients = [daemon.unixClient, daemon.tcpClient]
        let results = RunResults()
        let count = 50
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let stdout = OutputBuffer(), stderr = OutputBuffer()
                do {
                    let p = try clients[i % 2].run(handle, shell("echo out-\(i); echo err-\(i) >&2; exit \(i + 1)"),
                                                   io: ProcessIO(stdout: .buffer(stdout), stderr: .buffer(stderr)))
                    let status = try p.wait(timeout: .seconds(90))
                    results.record(i, status: status, stdout: stdout.string, stderr: stderr.string, error: nil)
                } catch {
                    results.record(i, status: nil, stdout: stdout.string, stderr: stderr.string, error: "\(error)")
                }
            }
            thread.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success, "the runs did not all finish")
        let all = results.all
        #expect(all.count == count)
        for i in 0..<count {
            guard let result = all[i] else { Issue.record("run \(i): no result"); continue }
            #expect(result.error == nil, "run \(i): \(result.error ?? "")")
            #expect(result.status == Int32(i + 1), "run \(i): status \(String(describing: result.status))")
            #expect(result.stdout == "out-\(i)\n", "run \(i): stdout \(result.stdout.debugDescription)")
            #expect(result.stderr == "err-\(i)\n", "run \(i): stderr \(result.stderr.debugDescription)")
        }
    }
}
