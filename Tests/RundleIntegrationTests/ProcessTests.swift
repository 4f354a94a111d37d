import Foundation
import RundleJSON
import Testing

/// Reads a process's state from `rundle ps --json`.
func processState(_ t: TestDepot, _ h: String, _ id: String) throws -> JSON? {
    let ps = try JSON.parse(try t.rundle("ps", ["--json", h]).stdout)
    return ps.arrayValue?.first { $0["id"]?.stringValue == id }
}

func waitExited(_ t: TestDepot, _ h: String, _ id: String, seconds: Double = 20) -> Bool {
    pollUntil(seconds) { ((try? processState(t, h, id))??["state"]?.stringValue) == "exited" }
}

func keeperPids(_ t: TestDepot, _ h: String) -> [Int32] {
    let root = t.depot + "/" + h + "/processes"
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return ids.compactMap { id in
        (try? String(contentsOfFile: root + "/" + id + "/keeper.pid", encoding: .utf8))
            .flatMap { Int32($0.split(separator: " ").first ?? "") }
    }
}

@Suite("detached processes, attach, kill, ps", .enabled(if: IntegrationEnvironment.enabled))
struct ProcessTests {
    @Test func attachAfterPrintingAndAfterExitGivesEveryByteAndTheCode() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let d = try t.rundle("exec", ["-d", "--id", "p1", h, "--", "sh", "-c", "echo out1; echo err1 >&2; read x; echo got $x; exit 7"])
        #expect(d.status == 0, "\(d)")
        #expect(d.trimmedOut == "p1")
        // Attach while it runs: replay of what it printed, then stdin reaches it.
        let a = try t.rundle("attach", [h, "p1"], stdin: "hello\n")
        #expect(a.status == 7, "\(a)")
        #expect(a.stdout == "out1\ngot hello\n")
        #expect(a.stderr == "err1\n")
        // And again, long after it exited: the same bytes, the same code, as often as asked.
        for _ in 0..<2 {
            let again = try t.rundle("attach", [h, "p1"], stdin: "")
            #expect(again.status == 7)
            #expect(again.stdout == "out1\ngot hello\n")
            #expect(again.stderr == "err1\n")
        }
        let live = try t.rundle("attach", ["--no-replay", h, "p1"], stdin: "")
        #expect(live.status == 7)
        #expect(live.stdout.isEmpty)
        let state = try processState(t, h, "p1")
        #expect(state?["state"]?.stringValue == "exited")
        #expect(state?["exitCode"]?.int64Value == 7)
    }

    @Test func outputBeyondAPipeBufferIsKeptWhileNobodyIsAttached() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        // 3 MiB on stdout and 1 MiB on stderr, nobody attached.
        let id = try t.rundle("exec", ["-d", h, "--", "sh", "-c",
            "i=0; while [ $i -lt 3 ]; do head -c 1048576 /dev/zero | tr '\\000' o; i=$((i+1)); done; head -c 1048576 /dev/zero | tr '\\000' e >&2"]).trimmedOut
        #expect(waitExited(t, h, id))
        let a = try t.rundle("attach", [h, id], stdin: "")
        #expect(a.status == 0, "\(a.stderr.prefix(300))")
        #expect(a.stdout.utf8.count == 3 << 20)
        #expect(a.stdout.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(a.stderr.utf8.count == 1 << 20)
    }

    @Test func aCLIKilledMidRunLeavesTheProcessAttachable() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: t.env.rundle)
        process.arguments = ["exec"] + t.globalArgs + ["--id", "fg", h, "--",
            "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo after; exit 3"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        #expect(pollUntil(20) { ((try? processState(t, h, "fg"))??["state"]?.stringValue) == "running" })
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The process is still running; let it finish, then attach.
        #expect(((try? processState(t, h, "fg"))??["state"]?.stringValue) == "running")
        #expect(try t.rundle("exec", [h, "--", "touch", "/tmp/go"]).status == 0)
        #expect(waitExited(t, h, "fg"))
        let a = try t.rundle("attach", [h, "fg"], stdin: "")
        #expect(a.status == 3)
        #expect(a.stdout == "line 1\nline 2\nline 3\nline 4\nline 5\nafter\n")
    }

    @Test func signalsReachTheProcessAndExitCodesFollowTheShell() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let trap = try t.rundle("exec", ["-d", "--id", "trap", h, "--", "sh", "-c", "trap 'echo got HUP; exit 4' HUP; echo ready; while true; do sleep 0.05; done"]).trimmedOut
        #expect(trap == "trap")
        #expect(pollUntil(20) { ((try? String(contentsOfFile: t.depot + "/" + h + "/processes/trap/stdout.log", encoding: .utf8)) ?? "").contains("ready") })
        #expect(try t.rundle("kill", [h, "trap", "HUP"]).status == 0)
        #expect(waitExited(t, h, "trap"))
        let a = try t.rundle("attach", [h, "trap"], stdin: "")
        #expect(a.status == 4)
        #expect(a.stdout.hasSuffix("got HUP\n"))

        for (name, signal, code) in [("k9", "9", 137), ("kK", "KILL", 137), ("kS", "SIGKILL", 137), ("kT", "TERM", 143)] {
            #expect(try t.rundle("exec", ["-d", "--id", name, h, "--", "sleep", "1000"]).status == 0)
            #expect(pollUntil(20) { ((try? processState(t, h, name))??["pid"]?.int64Value ?? 0) > 0 })
            let k = try t.rundle("kill", [h, name, signal])
            #expect(k.status == 0, "\(k)")
            #expect(waitExited(t, h, name))
            #expect((try processState(t, h, name))?["exitCode"]?.int64Value == Int64(code))
        }
        let defaultTerm = try t.rundle("exec", ["-d", h, "--", "sleep", "1000"]).trimmedOut
        #expect(pollUntil(20) { ((try? processState(t, h, defaultTerm))??["pid"]?.int64Value ?? 0) > 0 })
        #expect(try t.rundle("kill", [h, defaultTerm]).status == 0)
        #expect(waitExited(t, h, defaultTerm))
        #expect((try processState(t, h, defaultTerm))?["exitCode"]?.int64Value == 143)
        let bad = try t.rundle("kill", [h, defaultTerm, "NOTASIGNAL"])
        #expect(bad.status == 125)
        let exited = try t.rundle("kill", [h, defaultTerm, "KILL"])
        #expect(exited.status == 125)
        #expect(exited.stderr.contains("already exited"))
    }

    @Test func unknownAndDuplicateIdsAreClearErrors() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(try t.rundle("exec", ["-d", "--id", "same", h, "--", "sleep", "1000"]).status == 0)
        let dup = try t.rundle("exec", ["-d", "--json", "--id", "same", h, "--", "true"])
        #expect(dup.status == 125)
        #expect(dup.stderr.contains("AlreadyExists"), "\(dup)")
        for args in [["attach", h, "nope"], ["kill", h, "nope"]] {
            let r = try t.rundle(args[0], Array(args.dropFirst()), stdin: "")
            #expect(r.status == 125, "\(args): \(r)")
            #expect(r.stderr.contains("has no process 'nope'"), "\(args): \(r)")
        }
        let badID = try t.rundle("exec", ["-d", "--id", "../x", h, "--", "true"])
        #expect(badID.status == 125)
        #expect(badID.stderr.contains("invalid process id"))
        let missing = try t.rundle("exec", ["-d", h, "--", "no-such-command"])
        #expect(missing.status == 0)
        #expect(waitExited(t, h, missing.trimmedOut))
        let a = try t.rundle("attach", [h, missing.trimmedOut], stdin: "")
        #expect(a.status == 127, "\(a)")
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        #expect(info["processIDs"]?.stringArrayValue == ["same"])
    }

    @Test func noZombiesInTheContainerAndNoKeeperAfterDelete() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        for i in 0..<3 { #expect(try t.rundle("exec", [h, "--", "sh", "-c", "echo \(i)"]).status == 0) }
        #expect(try t.rundle("exec", ["-d", h, "--", "sleep", "1000"]).status == 0)
        #expect(try t.rundle("exec", ["-d", h, "--", "sh", "-c", "sleep 1000 & sleep 1000"]).status == 0)
        let zombies = try t.rundle("exec", [h, "--", "sh", "-c", "ps -o stat | grep -c '^Z'"]).trimmedOut
        #expect(zombies == "0")
        let keepers = keeperPids(t, h)
        #expect(keepers.count == 6)
        #expect(try t.rundle("delete", [h]).status == 0)
        for pid in keepers { #expect(!processAlive(pid), "keeper \(pid) outlived the delete") }
    }

    @Test func aKilledKeeperIsShownAndCollected() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let id = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "echo before; sleep 1000"]).trimmedOut
        let state: () -> JSON? = { (try? processState(t, h, id)) ?? nil }
        #expect(pollUntil(20) { (state()?["pid"]?.int64Value ?? 0) > 0 })
        let pid = Int32(state()?["pid"]?.int64Value ?? 0)
        guard let keeper = keeperPids(t, h).first else { Issue.record("no keeper"); return }
        kill(keeper, SIGKILL)
        #expect(pollUntil(20) { !processAlive(keeper) })
        #expect(state()?["state"]?.stringValue == "lost")
        let gc = try t.rundle("gc")
        #expect(gc.stdout.contains("process \(h)/\(id) lost its keeper"), "\(gc)")
        #expect(pollUntil(20) { !processAlive(pid) }, "the orphaned process still runs")
        #expect(state()?["state"]?.stringValue == "exited")
        let a = try t.rundle("attach", [h, id], stdin: "")
        #expect(a.status == 137)
        #expect(a.stdout == "before\n")
    }

    @Test func aTTYProcessGetsATerminal() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        // `script` gives rundle a real terminal of a known size.
        let cmd = "stty rows 33 cols 101; \(t.env.rundle) exec -t \(t.globalArgs.joined(separator: " ")) \(h) -- sh -c 'tty; stty size; exit 5'"
        let r = try Run.command("/usr/bin/script", ["-qec", cmd, "/dev/null"])
        #expect(r.status == 5, "\(r)")
        #expect(r.stdout.contains("/dev/pts/"), "\(r)")
        // crun 1.8 under load sometimes fails the process's TIOCGWINSZ ("stty: standard input:
        // No child processes"); recorded as an intermittent known issue under crun, not hidden.
        withKnownIssue("crun: TIOCGWINSZ intermittently fails in the container", isIntermittent: true) {
            #expect(r.stdout.contains("33 101"), "\(r)")
        } when: { t.env.runtime == "crun" }
    }
}
