import Foundation
import RundleJSON
import Testing

/// A runtime that hangs on `run` (as runc does on a D-state process) and is the real one otherwise.
func writeHangingRuntime(in dir: String, real: String) throws -> (path: String, pidFile: String) {
    let path = dir + "/hanging-runtime"
    let pidFile = dir + "/hanging-runtime.pid"
    let script = """
        #!/bin/sh
        for arg in "$@"; do
          if [ "$arg" = run ]; then echo $$ > \(pidFile); exec sleep 1000; fi
        done
        exec \(real) "$@"
        """
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
    return (path, pidFile)
}

func pollUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

func processAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    return !stat.contains(") Z ")
}

func realRuntimePath(_ name: String) throws -> String {
    let r = try Run.command("/bin/sh", ["-c", "command -v \(name)"])
    return r.trimmedOut
}

@Suite("deadlines, interrupted creates, gc, concurrent commands", .enabled(if: IntegrationEnvironment.enabled))
struct RecoveryTests {
    @Test func aHangingRuntimeIsKilledAtItsDeadlineAndTheCreateRolledBack() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let fake = try writeHangingRuntime(in: t.dir, real: try realRuntimePath(t.env.runtime))
        let h = t.handle("hang")
        let r = try t.rundle("create", [h, "--rootfs", t.env.rootfs], extraGlobal: ["--runtime", fake.path, "--runtime-timeout", "1"])
        #expect(r.status == 125, "\(r)")
        #expect(r.stderr.contains("did not finish within"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: t.depot + "/" + h))
        let pid = Int32((try? String(contentsOfFile: fake.pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(pid > 0)
        #expect(!processAlive(pid), "the hung runtime was not killed")
    }

    @Test(arguments: ["list", "gc", "create"])
    func aCreateKilledMidwayIsCleanedByTheNextCommand(next: String) throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let fake = try writeHangingRuntime(in: t.dir, real: try realRuntimePath(t.env.runtime))
        let h = t.handle("killed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: t.env.rundle)
        process.arguments = ["create"] + t.globalArgs + ["--runtime", fake.path, "--cgroup-parent", t.cgroupParent, h, "--rootfs", t.env.rootfs]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(pollUntil(20) { FileManager.default.fileExists(atPath: fake.pidFile) })
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let runtimePid = Int32((try? String(contentsOfFile: fake.pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        defer { if runtimePid > 0 { kill(runtimePid, SIGKILL) } }

        // Half-made: a record saying "creating" and a mounted rootfs.
        let record = try JSON.parse(String(contentsOfFile: t.depot + "/" + h + "/container.json", encoding: .utf8))
        #expect(record["status"]?.stringValue == "creating")

        switch next {
        case "list":
            #expect(try t.rundle("list", ["-q"]).trimmedOut.isEmpty)
        case "gc":
            let gc = try t.rundle("gc")
            #expect(gc.status == 0, "\(gc)")
            #expect(gc.stdout.contains("removed half-created container \(h)"))
        default:
            let again = try t.rundle("create", [h, "--rootfs", t.env.rootfs])
            #expect(again.status == 0, "\(again)")
            #expect(try t.rundle("exec", [h, "--", "true"]).status == 0)
            #expect(try t.rundle("delete", [h]).status == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: t.depot + "/" + h))
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        #expect(!mounts.contains(t.depot + "/" + h))
    }

    @Test func concurrentCreatesOfOneHandleLetExactlyOneWin() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = t.handle("race")
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if let r = try? t.rundle("create", [h, "--rootfs", t.env.rootfs, "--json"]) { results.append(r) }
        }
        let all = results.all
        #expect(all.count == 4)
        #expect(all.filter { $0.status == 0 }.count == 1, "\(all)")
        for loser in all where loser.status != 0 {
            #expect(loser.status == 125)
            #expect(loser.stderr.contains("AlreadyExists"), "\(loser)")
        }
        #expect(try t.rundle("exec", [h, "--", "true"]).status == 0)

        let deletes = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let r = try? t.rundle("delete", ["--json", h]) { deletes.append(r) }
        }
        #expect(deletes.all.filter { $0.status == 0 }.count == 1, "\(deletes.all)")
        #expect(deletes.all.filter { $0.stderr.contains("NotFound") }.count == 1, "\(deletes.all)")
    }

    @Test func crunsOwnRefusalIsReported() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/unified/cgroup.controllers", encoding: .utf8)) ?? ""
        guard t.env.runtime == "runc", !controllers.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              !(try realRuntimePath("crun")).isEmpty else { return }
        let r = try t.rundle("create", [t.handle("crun"), "--rootfs", t.env.rootfs], extraGlobal: ["--runtime", "crun"])
        #expect(r.status == 125)
        #expect(r.stderr.contains("cgroups in hybrid mode not supported"), "\(r)")
        #expect(try t.rundle("list", ["-q"]).trimmedOut.isEmpty)
    }
}

final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [RundleResult] = []
    func append(_ r: RundleResult) { lock.lock(); results.append(r); lock.unlock() }
    var all: [RundleResult] { lock.lock(); defer { lock.unlock() }; return results }
}
