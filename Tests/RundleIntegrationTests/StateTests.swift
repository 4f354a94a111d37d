import Foundation
import RundleJSON
import Testing

@Suite("stop, pause, live limits, properties", .enabled(if: IntegrationEnvironment.enabled))
struct StateTests {
    func initPid(_ t: TestDepot, _ h: String) throws -> Int32 {
        Int32(try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)["initPid"]?.int64Value ?? 0)
    }

    @Test func stopWithGraceLetsTermHandlersFinishAndIsPersisted() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let polite = try t.rundle("exec", ["-d", "--id", "polite", h, "--", "sh", "-c", "trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 0.05; done"]).trimmedOut
        #expect(polite == "polite")
        #expect(pollUntil(20) { ((try? String(contentsOfFile: t.depot + "/" + h + "/processes/polite/stdout.log", encoding: .utf8)) ?? "").contains("up") })
        let stop = try t.rundle("stop", ["-t", "10", h])
        #expect(stop.status == 0, "\(stop)")
        let ps = try processState(t, h, "polite")
        #expect(ps?["state"]?.stringValue == "exited")
        #expect(ps?["exitCode"]?.int64Value == 0)
        let a = try t.rundle("attach", [h, "polite"], stdin: "")
        #expect(a.stdout == "up\nbye\n")
        // Stopped: said by inspect, kept across commands, exec refused, the init still there.
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        #expect(info["state"]?.stringValue == "stopped")
        #expect(info["runtimeStatus"]?.stringValue == "running")
        let exec = try t.rundle("exec", [h, "--", "true"])
        #expect(exec.status == 125)
        #expect(exec.stderr.contains("stopped"))
        #expect(try t.rundle("list", ["--json"]).stdout.contains("\"stopped\""))
    }

    @Test func stopKillEndsAProcessThatIgnoresTermAtOnce() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(try t.rundle("exec", ["-d", "--id", "stubborn", h, "--", "sh", "-c", "trap '' TERM; while true; do sleep 0.05; done"]).status == 0)
        #expect(pollUntil(20) { ((try? processState(t, h, "stubborn"))??["pid"]?.int64Value ?? 0) > 0 })
        let start = Date()
        let stop = try t.rundle("stop", ["--kill", h])
        #expect(stop.status == 0, "\(stop)")
        #expect(Date().timeIntervalSince(start) < 8, "--kill must not wait for a grace time")
        #expect((try processState(t, h, "stubborn"))?["exitCode"]?.int64Value == 137)
        let negative = try t.rundle("stop", ["-t", "-1", h])
        #expect(negative.status == 125)
        #expect(try t.rundle("stop", ["\(t.prefix)-nope"]).status == 125)
    }

    @Test func pauseAndResume() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(try t.rundle("pause", [h]).status == 0)
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        #expect(info["state"]?.stringValue == "paused")
        #expect(try t.rundle("resume", [h]).status == 0)
        #expect(try t.rundle("exec", [h, "--", "true"]).status == 0)
    }

    @Test func liveLimitsReachTheCgroupAndTheDepot() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--memory", "64M"])
        let pid = try initPid(t, h)
        let r = try t.rundle("update", [h, "--memory", "96M", "--pids", "77", "--cpu-shares", "256", "--cpu-quota", "50000"])
        #expect(r.status == 0, "\(r)")
        #expect(Cgroups.read(pid: pid, controller: "memory", file: "memory.limit_in_bytes") == String(96 << 20))
        #expect(Cgroups.read(pid: pid, controller: "pids", file: "pids.max") == "77")
        #expect(Cgroups.read(pid: pid, controller: "cpu", file: "cpu.shares") == "256")
        #expect(Cgroups.read(pid: pid, controller: "cpu", file: "cpu.cfs_quota_us") == "50000")
        if t.env.runtime == "runc" {
            // Read back through the runtime's own stats as well.
            let stats = try Run.command("/usr/bin/env", ["runc", "--root", t.runtimeRoot, "events", "--stats", h])
            let data = try JSON.parse(stats.stdout)["data"]
            #expect(data?[path: ["memory", "usage", "limit"]]?.int64Value == 96 << 20, "\(stats)")
            #expect(data?[path: ["pids", "limit"]]?.int64Value == 77, "\(stats)")
        }
        let shown = try JSON.parse(try t.rundle("update", [h, "--json"]).stdout)
        #expect(shown["memoryBytes"]?.int64Value == 96 << 20)
        #expect(shown["pids"]?.int64Value == 77)
        // A limit the kernel refuses keeps the old one, with the runtime's own message.
        let hog = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "x=$(head -c 20000000 /dev/zero | tr '\\000' x); sleep 1000"]).trimmedOut
        _ = hog
        #expect(pollUntil(20) { (Int(Cgroups.read(pid: pid, controller: "memory", file: "memory.usage_in_bytes") ?? "0") ?? 0) > 15_000_000 })
        let refused = try t.rundle("update", [h, "--memory", "1M"])
        #expect(refused.status == 125, "\(refused)")
        #expect(refused.stderr.contains("update failed"), "\(refused)")
        #expect(Cgroups.read(pid: pid, controller: "memory", file: "memory.limit_in_bytes") == String(96 << 20))
        #expect(try JSON.parse(try t.rundle("update", [h, "--json"]).stdout)["memoryBytes"]?.int64Value == 96 << 20)
        #expect(try t.rundle("update", [h, "--memory", "lots"]).status == 125)
    }

    @Test func propertiesPersistAndFilterTheList() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let a = try t.create(t.handle("a"), ["--property", "team=web", "--property", "tier=1"])
        let b = try t.create(t.handle("b"), ["--property", "team=web"])
        #expect(try t.rundle("property", ["set", b, "tier", "2"]).status == 0)
        #expect(try t.rundle("property", ["get", b, "tier"]).stdout == "2\n")
        #expect(try t.rundle("list", ["-q", "--property", "team=web"]).stdout == "\(a)\n\(b)\n")
        #expect(try t.rundle("list", ["-q", "--property", "team=web", "--property", "tier=1"]).stdout == "\(a)\n")
        #expect(try t.rundle("property", ["rm", a, "tier"]).status == 0)
        #expect(try t.rundle("property", ["list", a]).stdout == "team=web\n")
        let missing = try t.rundle("property", ["get", a, "tier"])
        #expect(missing.status == 125)
        let bad = try t.rundle("property", ["set", a, "a/b", "x"])
        #expect(bad.status == 125)
        #expect(bad.stderr.contains("'/'"))
        let newline = try t.rundle("property", ["set", a, "a\nb", "x"])
        #expect(newline.status == 125)
        #expect(try t.rundle("property", ["list", a]).stdout == "team=web\n")
    }
}
