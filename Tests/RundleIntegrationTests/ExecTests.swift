import Foundation
import Testing

@Suite("exec: exit codes, users, env, cwd, stdin", .enabled(if: IntegrationEnvironment.enabled))
struct ExecTests {
    @Test func exitCodesFollowTheShellConvention() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "exit 3"]).status == 3)
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "exit 255"]).status == 255)
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "kill -9 $$"]).status == 137)
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "kill -TERM $$"]).status == 143)

        let missing = try t.rundle("exec", [h, "--", "no-such-command"])
        #expect(missing.status == 127, "\(missing)")
        #expect(missing.stderr.contains("rundle: "))
        let missingPath = try t.rundle("exec", [h, "--", "/no/such/file"])
        #expect(missingPath.status == 127, "\(missingPath)")
        let notExec = try t.rundle("exec", [h, "--", "/bin/not-executable"])
        #expect(notExec.status == 126, "\(notExec)")
        let dir = try t.rundle("exec", [h, "--", "/tmp"])
        #expect(dir.status == 126, "\(dir)")
        let unknown = try t.rundle("exec", ["\(t.prefix)-nope", "--", "true"])
        #expect(unknown.status == 125)
        #expect(unknown.stderr == "rundle: container '\(t.prefix)-nope' does not exist\n")
    }

    @Test func usersComeFromTheContainersPasswd() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let root = try t.rundle("exec", [h, "--", "sh", "-c", "id -u; pwd; echo $HOME $USER"])
        #expect(root.stdout == "0\n/root\n/root root\n", "\(root)")
        let alice = try t.rundle("exec", [h, "-u", "alice", "--", "sh", "-c", "id -u; id -g; id -G; pwd; echo $HOME $USER"])
        #expect(alice.status == 0, "\(alice)")
        let lines = alice.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines.first == "1000")
        #expect(lines.dropFirst().first == "1000")
        #expect(lines.dropFirst(2).first?.split(separator: " ").contains("50") == true, "supplementary group staff missing: \(lines)")
        #expect(lines.dropFirst(3).first == "/home/alice")
        #expect(lines.last == "/home/alice alice")
        let numeric = try t.rundle("exec", [h, "--user", "1001:50", "--", "sh", "-c", "id -u; id -g"])
        #expect(numeric.stdout == "1001\n50\n", "\(numeric)")
        let unknown = try t.rundle("exec", [h, "-u", "mallory", "--", "true"])
        #expect(unknown.status == 125)
        #expect(unknown.stderr.contains("unknown user 'mallory'"))
    }

    @Test func envCwdAndStdinAreWiredThrough() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--env", "A=container", "--env", "B=container"])
        let env = try t.rundle("exec", [h, "-e", "B=process", "--env", "C=3", "--", "sh", "-c", "echo $A $B $C"])
        #expect(env.stdout == "container process 3\n", "\(env)")
        let cwd = try t.rundle("exec", [h, "-w", "/tmp", "--", "pwd"])
        #expect(cwd.stdout == "/tmp\n")
        let workdir = try t.rundle("exec", [h, "--workdir", "/etc", "--", "pwd"])
        #expect(workdir.stdout == "/etc\n")
        let input = (0..<2000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let cat = try t.rundle("exec", [h, "--", "sh", "-c", "wc -l; echo done"], stdin: input)
        #expect(cat.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("2000"), "\(cat)")
        let badEnv = try t.rundle("exec", [h, "-e", "NOEQUALS", "--", "true"])
        #expect(badEnv.status == 125)
        #expect(badEnv.stderr.contains("KEY=VALUE"))
        let noCommand = try t.rundle("exec", [h])
        #expect(noCommand.status == 125)
    }
}
