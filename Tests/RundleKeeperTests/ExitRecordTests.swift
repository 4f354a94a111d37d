import Glibc
import RundleOS
import Testing
@testable import RundleKeeper

@Suite struct ExitRecordTests {
    @Test(arguments: [
        ExitRecord(exitCode: 0, exitedAt: 1_700_000_000_123_456_789, kind: .exited),
        ExitRecord(status: .signaled(9), exitedAt: 5),
        ExitRecord(status: .exited(3), exitedAt: 6),
        ExitRecord(exitCode: 127, exitedAt: 7, error: "exec: \"nope\": executable file not found in $PATH", kind: .runtimeFailed),
        ExitRecord(exitCode: 255, exitedAt: 8, kind: .keeperLost),
    ])
    func jsonRoundTrip(_ record: ExitRecord) {
        #expect(ExitRecord(jsonBytes: record.jsonBytes) == record)
    }

    @Test func signalDeathFollowsTheShell() {
        let record = ExitRecord(status: .signaled(9), exitedAt: 1)
        #expect(record.exitCode == 137 && record.signal == 9 && record.kind == .exited)
        let text = String(decoding: record.jsonBytes, as: UTF8.self)
        #expect(text.contains("\"exitCode\":137") && text.contains("\"signal\":9") && text.contains("\"kind\":\"exited\""))
        #expect(!String(decoding: ExitRecord(status: .exited(0), exitedAt: 1).jsonBytes, as: UTF8.self).contains("signal"))
    }

    @Test func malformedRecordsAreNil() {
        #expect(ExitRecord(jsonBytes: Array("{}".utf8)) == nil)
        #expect(ExitRecord(jsonBytes: Array("{\"exitCode\":1}".utf8)) == nil)
        #expect(ExitRecord(jsonBytes: Array("{\"exitCode\":1,\"kind\":\"weird\"}".utf8)) == nil)
        #expect(ExitRecord(jsonBytes: Array("{\"exitCode\":99999999999,\"kind\":\"exited\"}".utf8)) == nil)
        #expect(ExitRecord(jsonBytes: Array("not json".utf8)) == nil)
    }

    @Test func writtenOnceAndReadBack() throws {
        let dir = try temporaryDirectory("exit")
        defer { removeTemporary(dir) }
        #expect(ExitRecord.read(processDir: dir) == nil)
        let record = ExitRecord(status: .exited(3), exitedAt: 42)
        try record.write(processDir: dir)
        #expect(ExitRecord.read(processDir: dir) == record)
        #expect(throws: OSError.self) { try ExitRecord(status: .exited(4), exitedAt: 43).write(processDir: dir) }
        #expect(ExitRecord.read(processDir: dir) == record)
        // No temp files left behind.
        #expect(try listDirectory(dir) == [ProcessDirLayout.exitRecord])
    }

    @Test func livenessChecksPidAndStartTime() throws {
        let dir = try temporaryDirectory("liveness")
        defer { removeTemporary(dir) }
        #expect(!KeeperLiveness.isAlive(processDir: dir))
        let me = getpid()
        let start = try #require(processStartTime(me))
        try writeFile(ProcessDirLayout(directory: dir).keeperPidPath, Array("\(me) \(start)\n".utf8))
        #expect(KeeperLiveness.isAlive(processDir: dir))
        #expect(KeeperLiveness.recorded(processDir: dir)?.pid == me)
        try writeFile(ProcessDirLayout(directory: dir).keeperPidPath, Array("\(me) \(start + 1)\n".utf8))
        #expect(!KeeperLiveness.isAlive(processDir: dir))    // a reused pid
        try writeFile(ProcessDirLayout(directory: dir).keeperPidPath, Array("garbage".utf8))
        #expect(!KeeperLiveness.isAlive(processDir: dir))
    }
}

@Suite struct KeeperConfigurationTests {
    @Test func parsesEveryOption() throws {
        let config = try KeeperConfiguration.parse([
            "--runtime", "/usr/sbin/runc", "--runtime-root", "/run/r", "--container", "c1", "--dir", "/d",
            "--tty", "--log-limit", "65536", "--runtime-log-dir", "/logs",
        ]).get()
        #expect(config.runtime == "/usr/sbin/runc" && config.runtimeRoot == "/run/r" && config.container == "c1")
        #expect(config.processDir == "/d" && config.tty && config.logLimit == 65536 && config.runtimeLogDir == "/logs")
        let defaults = try KeeperConfiguration.parse(["--runtime", "r", "--runtime-root", "x", "--container", "c", "--dir", "d"]).get()
        #expect(!defaults.tty && defaults.logLimit == 64 << 20 && defaults.runtimeLogDir == nil)
    }

    @Test(arguments: [
        [],
        ["--runtime", "r", "--runtime-root", "x", "--container", "c"],
        ["--runtime", "r", "--runtime-root", "x", "--container", "c", "--dir"],
        ["--runtime", "r", "--runtime-root", "x", "--container", "c", "--dir", "d", "--bogus"],
        ["--runtime", "r", "--runtime-root", "x", "--container", "c", "--dir", "d", "--log-limit", "0"],
        ["--runtime", "r", "--runtime-root", "x", "--container", "c", "--dir", "d", "--log-limit", "lots"],
        ["--runtime", "r", "--runtime", "r2", "--runtime-root", "x", "--container", "c", "--dir", "d"],
    ])
    func rejectsBadCommandLines(_ arguments: [String]) {
        #expect(throws: KeeperUsageError.self) { try KeeperConfiguration.parse(arguments).get() }
    }

    @Test func usageErrorExitsTwo() {
        #expect(runKeeper(arguments: ["--nonsense"]) == 2)
    }
}

@Suite struct RuntimeFailureTests {
    @Test(arguments: [
        ("exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH", Int32(127)),
        ("exec failed: unable to start container process: exec: \"/nope\": stat /nope: no such file or directory", 127),
        ("executable file `nope` not found in $PATH: No such file or directory", 127),
        ("exec failed: unable to start container process: exec: \"/etc\": permission denied", 126),
        ("open executable: Permission denied", 126),
        ("container does not exist", 125),
        ("runc exec exited with status 1", 125),
    ])
    func classifies(_ message: String, _ code: Int32) {
        #expect(RuntimeFailure.exitCode(message: message) == code)
    }
}
