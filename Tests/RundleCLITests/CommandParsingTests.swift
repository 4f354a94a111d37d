import ArgumentParser
import Glibc
import Testing
import RundleCore
@testable import RundleCLI

/// The command tree as ArgumentParser sees it: spellings, aliases, and what lands where.
@Suite struct CommandParsingTests {
    func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let command = try RundleCommand.parseAsRoot(arguments)
        return try #require(command as? T, "parsed as \(Swift.type(of: command))", sourceLocation: sourceLocation)
    }

    func expectParseFailure(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let command = try RundleCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed as \(type(of: command))", sourceLocation: sourceLocation)
        } catch {
            // A usage error, not a Rundle error: mainWithExitCodes turns it into 125.
            #expect(!(error is RundleError), sourceLocation: sourceLocation)
            #expect(RundleCommand.exitCode(for: error) != .success, sourceLocation: sourceLocation)
        }
    }

    @Test func execWithOptionsAfterTheHandle() throws {
        let exec = try parse(["exec", "h", "-u", "alice", "-w", "/tmp", "-e", "A=1", "--", "sh", "-c", "x"],
                             as: ContainerExec.self)
        #expect(exec.handle == "h")
        #expect(exec.user == "alice")
        #expect(exec.cwd == "/tmp")
        #expect(exec.env == ["A=1"])
        #expect(exec.command == ["sh", "-c", "x"])
        #expect(!exec.output.json)
    }

    @Test func execWithOptionsBeforeTheHandle() throws {
        let exec = try parse(["exec", "--user", "1000:1000", "--cwd", "/srv", "--env", "A=1", "-e", "B=2",
                              "--json", "h1", "--", "ls", "-l", "--", "-e", "x"], as: ContainerExec.self)
        #expect(exec.handle == "h1")
        #expect(exec.user == "1000:1000")
        #expect(exec.cwd == "/srv")
        #expect(exec.env == ["A=1", "B=2"])
        #expect(exec.output.json)
        // After the first "--", everything is the command's, flags and "--" included.
        #expect(exec.command == ["ls", "-l", "--", "-e", "x"])
    }

    @Test func execWorkdirSpellings() throws {
        for flag in ["-w", "--cwd", "--workdir"] {
            let exec = try parse(["exec", flag, "/w", "h", "--", "pwd"], as: ContainerExec.self)
            #expect(exec.cwd == "/w")
        }
    }

    @Test func execWithGlobalOptions() throws {
        let exec = try parse(["exec", "--depot", "/tmp/depot", "--runtime", "crun", "--runtime-root", "/run/x",
                              "--runtime-timeout", "2.5", "h", "--", "true"], as: ContainerExec.self)
        let config = exec.global.config()
        #expect(config.depot == "/tmp/depot")
        #expect(config.runtime == "crun")
        #expect(config.runtimeRoot == "/run/x")
        #expect(config.timeouts.run == .milliseconds(2500))
        #expect(config.timeouts.delete == .milliseconds(2500))
        #expect(config.timeouts.state == .milliseconds(2500))
        #expect(exec.command == ["true"])
    }

    @Test func execWithoutACommandParses() throws {
        // Refused when run, with a Rundle error (exit 125) rather than a usage error.
        let exec = try parse(["exec", "h"], as: ContainerExec.self)
        #expect(exec.command == [])
    }

    @Test func execUsageErrors() {
        expectParseFailure(["exec"])
        expectParseFailure(["exec", "--", "sh"])
        expectParseFailure(["exec", "h", "-u"])
        expectParseFailure(["exec", "h", "--no-such-flag", "--", "sh"])
    }

    @Test(arguments: ["0", "-1", "86400", "nan", "soon"])
    func badRuntimeTimeouts(_ value: String) {
        expectParseFailure(["list", "--runtime-timeout", value])
    }

    @Test func createWithRepeatedOptions() throws {
        let create = try parse([
            "create", "web1", "--rootfs", "/srv/rootfs/busybox",
            "--env", "A=1", "-e", "B=2=3", "--env", "C=",
            "--bind", "/srv/data:/data:ro", "-v", "/srv/cache:/cache", "--volume", "/srv/logs:/logs:rw",
            "--property", "owner=alice", "--property", "garden.grace-time=30s",
            "--memory", "64M", "--cpu-shares", "512", "--cpu-quota", "50000", "--pids", "100", "--privileged",
        ], as: ContainerCreate.self)
        #expect(create.handle == "web1")
        #expect(create.env == ["A=1", "B=2=3", "C="])
        #expect(create.bind == ["/srv/data:/data:ro", "/srv/cache:/cache", "/srv/logs:/logs:rw"])
        #expect(create.property == ["owner=alice", "garden.grace-time=30s"])

        let spec = try create.containerSpec()
        #expect(spec.handle == "web1")
        #expect(spec.rootfs == "/srv/rootfs/busybox")
        #expect(spec.env == ["A=1", "B=2=3", "C="])
        #expect(spec.bindMounts == [
            BindMount(source: "/srv/data", destination: "/data", readOnly: true),
            BindMount(source: "/srv/cache", destination: "/cache", readOnly: false),
            BindMount(source: "/srv/logs", destination: "/logs", readOnly: false),
        ])
        #expect(spec.properties == [Property(key: "owner", value: "alice"),
                                    Property(key: "garden.grace-time", value: "30s")])
        #expect(spec.limits == ResourceLimits(memoryBytes: 64 << 20, cpuShares: 512, cpuQuota: 50_000, pids: 100))
        #expect(spec.privileged)
    }

    @Test func createWithoutAHandleGeneratesOne() throws {
        let create = try parse(["create", "--rootfs", "/r"], as: ContainerCreate.self)
        #expect(create.handle == nil)
        let spec = try create.containerSpec()
        try Handle.validate(spec.handle)
        #expect(spec.handle.count == 36)
        #expect(!spec.privileged)
        #expect(spec.limits == ResourceLimits())
    }

    @Test(arguments: [
        (["--env", "NOEQUALS"], "invalid --env 'NOEQUALS'"),
        (["--bind", "/a"], "invalid --bind '/a'"),
        (["--memory", "lots"], "invalid --memory 'lots'"),
        (["--cpu-shares=-1"], "invalid --cpu-shares '-1'"),
        (["--pids", "many"], "invalid --pids 'many'"),
        (["--property", "novalue"], "invalid --property 'novalue'"),
        (["--property", "a/b=1"], "invalid property key 'a/b'"),
    ])
    func createWithBadValues(_ extra: [String], _ fragment: String) throws {
        let create = try parse(["create", "h", "--rootfs", "/r"] + extra, as: ContainerCreate.self)
        do {
            let spec = try create.containerSpec()
            Issue.record("made a spec: \(spec)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func createNeedsARootfs() {
        expectParseFailure(["create", "h"])
    }

    @Test func aliases() throws {
        #expect(try parse(["list"], as: ContainerList.self).quiet == false)
        #expect(try parse(["ls", "-q"], as: ContainerList.self).quiet)
        #expect(try parse(["ls", "--json"], as: ContainerList.self).output.json)
        #expect(try parse(["delete", "a"], as: ContainerDelete.self).handles == ["a"])
        #expect(try parse(["rm", "a", "b"], as: ContainerDelete.self).handles == ["a", "b"])
        #expect(try parse(["destroy", "c"], as: ContainerDelete.self).handles == ["c"])
        #expect(try parse(["inspect", "h"], as: ContainerInspect.self).handle == "h")
        #expect(try parse(["info", "h", "--json"], as: ContainerInspect.self).output.json)
        _ = try parse(["gc"], as: ContainerGC.self)
    }

    @Test func deleteNeedsAHandle() {
        expectParseFailure(["rm"])
        expectParseFailure(["destroy"])
    }

    @Test func unknownCommand() {
        expectParseFailure(["frobnicate"])
    }

    @Test func exitCodes() {
        #expect(CLIErrors.exitCode(for: RundleError(.executableNotFound, "x")) == 127)
        #expect(CLIErrors.exitCode(for: RundleError(.notExecutable, "x")) == 126)
        for code: RundleError.Code in [.invalidArgument, .notFound, .alreadyExists, .invalidState, .runtimeFailed,
                                       .timeout, .unavailable, .internal] {
            #expect(CLIErrors.exitCode(for: RundleError(code, "x")) == 125, "\(code)")
        }
    }

    @Test func replacingNewlines() {
        // "\r\n" is one Character in Swift: it must become a space too, or a message spans lines.
        #expect("a\nb\rc\r\nd".replacingNewlines() == "a b c d")
        let flattened = "x\r\ny\u{2028}z".replacingNewlines()
        #expect(!flattened.contains { $0.isNewline })
    }
}
