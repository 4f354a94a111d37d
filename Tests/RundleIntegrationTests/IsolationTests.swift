import Foundation
import RundleJSON
import Testing

@Suite("user namespaces, bind mounts, limits, init", .enabled(if: IntegrationEnvironment.enabled))
struct IsolationTests {
    func initPid(_ t: TestDepot, _ h: String) throws -> Int32 {
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        return Int32(info["initPid"]?.int64Value ?? 0)
    }

    func hostUid(_ pid: Int32) -> String? {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?
            .split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.map(String.init)
    }

    @Test func unprivilegedRootIsMappedAndSeesItsRootfsAsItsOwn() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(hostUid(try initPid(t, h)) == "100000")
        let r = try t.rundle("exec", [h, "--", "sh", "-c", "id -u; stat -c %u /etc/passwd; touch /etc/new && stat -c %u /etc/new; cat /proc/self/uid_map"])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Array(lines.prefix(3)) == ["0", "0", "0"])
        #expect(lines.last?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == ["0", "100000", "65536"])
        // Writes land in the container's own upper dir, owned by the mapped root; the base is untouched.
        var st = stat()
        #expect(stat(t.depot + "/" + h + "/upper/etc/new", &st) == 0)
        #expect(st.st_uid == 100000)
        #expect(!FileManager.default.fileExists(atPath: t.env.rootfs + "/etc/new"))
        var base = stat()
        #expect(stat(t.env.rootfs + "/etc/passwd", &base) == 0 && base.st_uid == 0)
    }

    @Test func privilegedRootIsHostRoot() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--privileged"])
        #expect(hostUid(try initPid(t, h)) == "0")
        let r = try t.rundle("exec", [h, "--", "cat", "/proc/self/uid_map"])
        #expect(r.stdout.split(separator: " ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } == ["0", "0", "4294967295"])
    }

    @Test func bindMountsAreReadOnlyOrReadWrite() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let ro = t.dir + "/ro", rw = t.dir + "/rw"
        try FileManager.default.createDirectory(atPath: ro, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: rw, withIntermediateDirectories: true)
        try "from host\n".write(toFile: ro + "/file", atomically: true, encoding: .utf8)
        chmod(rw, 0o777)
        let h = try t.create(nil, ["--bind", "\(ro):/mnt/ro:ro", "--bind", "\(rw):/mnt/rw"])
        #expect(try t.rundle("exec", [h, "--", "cat", "/mnt/ro/file"]).stdout == "from host\n")
        let denied = try t.rundle("exec", [h, "--", "sh", "-c", "echo x > /mnt/ro/new"])
        #expect(denied.status != 0)
        #expect(!FileManager.default.fileExists(atPath: ro + "/new"))
        let wrote = try t.rundle("exec", [h, "--", "sh", "-c", "echo written > /mnt/rw/out"])
        #expect(wrote.status == 0, "\(wrote)")
        #expect((try? String(contentsOfFile: rw + "/out", encoding: .utf8)) == "written\n")
        // Deleting the container never touches bind-mount sources.
        #expect(try t.rundle("delete", [h]).status == 0)
        #expect(FileManager.default.fileExists(atPath: ro + "/file"))
        #expect(FileManager.default.fileExists(atPath: rw + "/out"))
    }

    @Test func limitsReachTheCgroup() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--memory", "64M", "--pids", "40", "--cpu-shares", "512"])
        let pid = try initPid(t, h)
        #expect(Cgroups.read(pid: pid, controller: "memory", file: "memory.limit_in_bytes") == String(64 << 20))
        #expect(Cgroups.read(pid: pid, controller: "pids", file: "pids.max") == "40")
        #expect(Cgroups.read(pid: pid, controller: "cpu", file: "cpu.shares") == "512")
        let memPath = Cgroups.path(pid: pid, controller: "memory") ?? ""
        #expect(memPath.hasSuffix("/\(t.cgroupParent)/\(h)"), "cgroup path \(memPath)")
    }

    @Test func initIsPid1AndSurvivesSignalsAndReapsZombies() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let comm = try t.rundle("exec", [h, "--", "cat", "/proc/1/cmdline"])
        #expect(comm.stdout.contains("init"), "\(comm)")
        for sig in ["TERM", "INT", "HUP", "USR1", "QUIT"] {
            _ = try t.rundle("exec", [h, "--", "kill", "-\(sig)", "1"])
        }
        #expect(try t.rundle("exec", [h, "--", "true"]).status == 0)
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        #expect(info["runtimeStatus"]?.stringValue == "running")
        // An orphan (its parent exits at once) is reparented to PID 1, which must reap it when it
        // exits. Its stdio must not be the exec's, or the runtime takes it down with the exec.
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "sleep 1 </dev/null >/dev/null 2>&1 & exit 0"]).status == 0)
        let adopted = pollUntil(10) {
            let ps = (try? t.rundle("exec", [h, "--", "ps", "-o", "ppid,comm"]).stdout) ?? ""
            return ps.split(separator: "\n").contains { $0.split(separator: " ").map(String.init) == ["1", "sleep"] }
        }
        #expect(adopted, "the orphan was not reparented to the init")
        var zombies = "?"
        let reaped = pollUntil(10) {
            zombies = (try? t.rundle("exec", [h, "--", "sh", "-c", "ps -o stat,comm | grep -c -e '^Z' -e sleep"]).trimmedOut) ?? "?"
            return zombies == "0"
        }
        #expect(reaped, "zombies or orphans left: \(zombies)")
    }
}
