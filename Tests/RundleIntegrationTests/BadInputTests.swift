import Foundation
import RundleJSON
import Testing

@Suite("bad input is refused and changes nothing", .enabled(if: IntegrationEnvironment.enabled))
struct BadInputTests {
    @Test(arguments: ["", "a/b", "..", "a..b", "../x", ".hidden", String(repeating: "x", count: 129), "tab\there", "new\nline", "sp ace", "é"])
    func invalidHandlesAreRefused(handle: String) throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let r = try t.rundle("create", [handle, "--rootfs", t.env.rootfs])
        #expect(r.status == 125, "\(r)")
        #expect(r.stderr.hasPrefix("rundle: invalid handle"), "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: t.depot)) ?? []).filter { !$0.hasPrefix(".") }.isEmpty)
    }

    @Test func duplicateHandleKeepsTheOriginal() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(t.handle("dup"))
        _ = try t.rundle("exec", [h, "--", "sh", "-c", "echo kept > /tmp/marker"])
        let again = try t.rundle("create", [h, "--rootfs", t.env.rootfs, "--json"])
        #expect(again.status == 125)
        let err = try JSON.parse(again.stderr)
        #expect(err["type"]?.stringValue == "AlreadyExists")
        #expect(try t.rundle("exec", [h, "--", "cat", "/tmp/marker"]).stdout == "kept\n")
    }

    @Test func malformedFlagsAreRefused() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let cases: [([String], String)] = [
            (["--rootfs", t.dir + "/missing"], "does not exist"),
            (["--rootfs", t.env.rootfs, "--bind", "nocolon"], "SRC:DST"),
            (["--rootfs", t.env.rootfs, "--bind", "/tmp:/mnt:rx"], "ro or rw"),
            (["--rootfs", t.env.rootfs, "--bind", t.dir + "/nope:/mnt"], "does not exist"),
            (["--rootfs", t.env.rootfs, "--bind", "/tmp:relative"], "absolute"),
            (["--rootfs", t.env.rootfs, "--env", "NOEQUALS"], "KEY=VALUE"),
            (["--rootfs", t.env.rootfs, "--memory", "12Q"], "--memory"),
            (["--rootfs", t.env.rootfs, "--memory", "-5M"], "--memory"),
            (["--rootfs", t.env.rootfs, "--pids", "many"], "--pids"),
            (["--rootfs", t.env.rootfs, "--property", "a/b=c"], "property"),
        ]
        for (args, needle) in cases {
            let r = try t.rundle("create", [t.handle("bad")] + args)
            #expect(r.status == 125, "\(args): \(r)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
        #expect(try t.rundle("list", ["-q"]).trimmedOut.isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: t.depot)) ?? []).filter { !$0.hasPrefix(".") }.isEmpty)
    }

    @Test func unknownHandlesGiveNotFound() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        for command in [["inspect"], ["delete"], ["exec"]] {
            let r = try t.rundle(command[0], ["--json", "\(t.prefix)-ghost"] + (command[0] == "exec" ? ["--", "true"] : []))
            #expect(r.status == 125, "\(command): \(r)")
            let err = try JSON.parse(r.stderr)
            #expect(err["type"]?.stringValue == "NotFound", "\(command): \(r.stderr)")
        }
        let usage = try t.rundle("create", ["--no-such-flag"])
        #expect(usage.status == 125)
        #expect(usage.stderr.hasPrefix("rundle: "))
    }
}
