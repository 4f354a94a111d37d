import Foundation
import RundleJSON
import Testing

@Suite("create, exec, list, inspect, delete", .enabled(if: IntegrationEnvironment.enabled))
struct LifecycleTests {
    @Test func createRunDeleteShowsOutputAndLeavesNothing() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(t.handle("life"))
        #expect(h == t.handle("life"))

        let r = try t.rundle("exec", [h, "--", "/bin/sh", "-c", "echo hello from $(hostname); echo err >&2"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout == "hello from \(h)\n")
        #expect(r.stderr == "err\n")

        let list = try t.rundle("list", ["-q"])
        #expect(list.stdout.split(separator: "\n").map(String.init) == [h])

        let del = try t.rundle("delete", [h])
        #expect(del.status == 0, "\(del)")
        #expect(!FileManager.default.fileExists(atPath: t.depot + "/" + h))
        #expect(try t.rundle("list", ["-q"]).trimmedOut.isEmpty)
        // The runtime no longer knows it either.
        let state = try Run.command("/usr/bin/env", [t.env.runtime, "--root", t.runtimeRoot, "state", h])
        #expect(state.status != 0)
    }

    @Test func generatedHandleIsPrintedAndListed() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(h.count == 36 && h.split(separator: "-").count == 5, "not a UUID: \(h)")
        let json = try JSON.parse(try t.rundle("list", ["--json"]).stdout)
        let handles = json.arrayValue?.compactMap { $0["handle"]?.stringValue }
        #expect(handles == [h])
        #expect(json.arrayValue?.first?["state"]?.stringValue == "running")
    }

    @Test func inspectReportsStateSpecAndRuntimeStatus() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(t.handle("insp"), ["--env", "COLOR=blue", "--memory", "64M", "--pids", "50", "--property", "owner=ops"])
        let r = try t.rundle("inspect", [h, "--json"])
        #expect(r.status == 0, "\(r)")
        let info = try JSON.parse(r.stdout)
        #expect(info["handle"]?.stringValue == h)
        #expect(info["state"]?.stringValue == "running")
        #expect(info["runtimeStatus"]?.stringValue == "running")
        #expect((info["initPid"]?.int64Value ?? 0) > 0)
        #expect(info["privileged"]?.boolValue == false)
        #expect(info[path: ["spec", "limits", "memoryBytes"]]?.int64Value == 64 << 20)
        #expect(info["bundlePath"]?.stringValue == t.depot + "/" + h)
        let text = try t.rundle("info", [h])
        #expect(text.stdout.contains("state:") && text.stdout.contains("running"))
        #expect(text.stdout.contains("COLOR=blue"))
        #expect(text.stdout.contains("owner=ops"))
    }

    @Test func deleteAcceptsManyHandlesAndAliases() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let a = try t.create(t.handle("a"))
        let b = try t.create(t.handle("b"))
        let c = try t.create(t.handle("c"))
        let r = try t.rundle("rm", [a, b])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout == "\(a)\n\(b)\n")
        let d = try t.rundle("destroy", [c, "\(t.prefix)-nope"])
        #expect(d.status == 125)
        #expect(d.stderr.contains("does not exist"))
        #expect(try t.rundle("ls", ["-q"]).trimmedOut.isEmpty)
    }

    @Test func baseRootfsIsSharedButNeverWritten() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let a = try t.create(t.handle("a"))
        let b = try t.create(t.handle("b"))
        let w = try t.rundle("exec", [a, "--", "/bin/sh", "-c", "echo mine > /etc/only-in-a && rm /etc/hostname"])
        #expect(w.status == 0, "\(w)")
        #expect(try t.rundle("exec", [a, "--", "cat", "/etc/only-in-a"]).stdout == "mine\n")
        #expect(try t.rundle("exec", [b, "--", "cat", "/etc/only-in-a"]).status == 1)
        #expect(try t.rundle("exec", [b, "--", "cat", "/etc/hostname"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: t.env.rootfs + "/etc/only-in-a"))
        #expect(FileManager.default.fileExists(atPath: t.env.rootfs + "/etc/hostname"))
    }
}
