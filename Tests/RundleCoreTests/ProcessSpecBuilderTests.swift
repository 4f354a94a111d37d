import Testing
import RundleJSON
@testable import RundleCore

@Suite struct ProcessSpecBuilderTests {
    /// A container's own process, with fields the builder does not own.
    static let base = json("""
        {"terminal": true, "user": {"uid": 0, "gid": 0},
         "args": ["/rundle-init"], "cwd": "/",
         "env": ["PATH=/custom/bin", "TERM=xterm", "A=base", "B=base"],
         "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]},
         "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024}],
         "noNewPrivileges": true,
         "consoleSize": {"height": 24, "width": 80},
         "apparmorProfile": "rundle-default",
         "x-vendor": {"keep": [1, 2]}}
        """)

    static let root = ResolvedUser(uid: 0, gid: 0, name: "root", home: "/root")
    static let alice = ResolvedUser(uid: 1000, gid: 1000, additionalGids: [10, 29], name: "alice", home: "/home/alice")

    func request(_ args: [String], env: [String] = [], tty: Bool = false) -> ProcessRequest {
        var request = ProcessRequest(args: args)
        request.env = env
        request.tty = tty
        return request
    }

    func build(base: JSON? = Self.base, _ request: ProcessRequest, user: ResolvedUser = Self.root,
               cwd: String = "/") throws(RundleError) -> JSON {
        try ProcessSpecBuilder.build(base: base, request: request, user: user, cwd: cwd)
    }

    func expectInvalid(_ body: () throws(RundleError) -> JSON, _ fragment: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let process = try body()
            Issue.record("built \(process.serialized())", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .invalidArgument, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func setsArgsCwdUserAndTerminal() throws {
        let process = try build(request(["sh", "-c", "echo hi"]), user: Self.alice, cwd: "/tmp")
        #expect(process["args"] == JSON(["sh", "-c", "echo hi"]))
        #expect(process["cwd"] == "/tmp")
        #expect(process["terminal"] == false)
        #expect(process["user"] == json(#"{"uid": 1000, "gid": 1000, "additionalGids": [10, 29]}"#))
        // Without a terminal the console size means nothing; runc would refuse it.
        #expect(process["consoleSize"] == nil)
    }

    @Test func terminalKeepsConsoleSize() throws {
        let process = try build(request(["sh"], tty: true))
        #expect(process["terminal"] == true)
        #expect(process["consoleSize"] == json(#"{"height": 24, "width": 80}"#))
    }

    @Test func noAdditionalGidsWhenThereAreNone() throws {
        let process = try build(request(["id"]), user: ResolvedUser(uid: 5, gid: 6))
        #expect(process["user"] == json(#"{"uid": 5, "gid": 6}"#))
    }

    @Test func keepsTheBaseFieldsItDoesNotOwn() throws {
        let process = try build(request(["true"]))
        var expected = Self.base
        for key in ["args", "cwd", "terminal", "user", "consoleSize", "env"] { expected[key] = nil }
        var got = process
        for key in ["args", "cwd", "terminal", "user", "consoleSize", "env"] { got[key] = nil }
        #expect(got == expected)
        #expect(process["capabilities"]?["bounding"] == JSON(["CAP_KILL"]))
        #expect(process["rlimits"] == json(#"[{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024}]"#))
        #expect(process["noNewPrivileges"] == true)
        #expect(process["x-vendor"] == json(#"{"keep": [1, 2]}"#))
    }

    @Test func envOverridesKeepTheirPlaceAndNewEntriesAppend() throws {
        let process = try build(request(["env"], env: ["B=override", "NEW=1", "A=again", "EMPTY="]))
        #expect(process["env"]?.stringArrayValue == [
            "PATH=/custom/bin", "TERM=xterm", "A=again", "B=override", "NEW=1", "EMPTY=",
            "USER=root", "HOME=/root",
        ])
    }

    @Test func mergeEnv() {
        #expect(ProcessSpecBuilder.mergeEnv(["A=1", "B=2"], ["B=3", "C=4", "A=5"]) == ["A=5", "B=3", "C=4"])
        #expect(ProcessSpecBuilder.mergeEnv([], ["A=1", "A=2"]) == ["A=2"])
        // The key is what precedes the first '='; a value may contain more.
        #expect(ProcessSpecBuilder.mergeEnv(["A=x=y"], ["A=b=c", "AB=1"]) == ["A=b=c", "AB=1"])
        #expect(ProcessSpecBuilder.mergeEnv(["A=1"], []) == ["A=1"])
    }

    @Test func defaultPathForRootWhenAbsent() throws {
        let process = try build(base: nil, request(["true"]))
        let env = try #require(process["env"]?.stringArrayValue)
        #expect(env == [ProcessSpecBuilder.defaultRootPath, "USER=root", "HOME=/root"])
        #expect(ProcessSpecBuilder.defaultRootPath.contains("/sbin"))
    }

    @Test func defaultPathForOthersWhenAbsent() throws {
        let process = try build(base: nil, request(["true"]), user: Self.alice)
        let env = try #require(process["env"]?.stringArrayValue)
        #expect(env == [ProcessSpecBuilder.defaultUserPath, "USER=alice", "HOME=/home/alice"])
        #expect(!ProcessSpecBuilder.defaultUserPath.contains("sbin"))
    }

    @Test func pathFromBaseOrRequestIsKept() throws {
        let fromBase = try build(request(["true"]), user: Self.alice)
        #expect(fromBase["env"]?.stringArrayValue?.filter { $0.hasPrefix("PATH=") } == ["PATH=/custom/bin"])
        let fromRequest = try build(base: nil, request(["true"], env: ["PATH=/mine"]))
        #expect(fromRequest["env"]?.stringArrayValue?.filter { $0.hasPrefix("PATH=") } == ["PATH=/mine"])
    }

    @Test func userAndHomeDefaults() throws {
        // A uid without a passwd entry: USER is the number, HOME the resolver's "/".
        let anonymous = try build(base: nil, request(["true"]), user: ResolvedUser(uid: 4321, gid: 0))
        let env = try #require(anonymous["env"]?.stringArrayValue)
        #expect(env.contains("USER=4321"))
        #expect(env.contains("HOME=/"))
        // Given ones win.
        let given = try build(base: nil, request(["true"], env: ["USER=bob", "HOME=/srv"]), user: Self.alice)
        let givenEnv = try #require(given["env"]?.stringArrayValue)
        #expect(givenEnv.filter { $0.hasPrefix("USER=") } == ["USER=bob"])
        #expect(givenEnv.filter { $0.hasPrefix("HOME=") } == ["HOME=/srv"])
        // "USERNAME=" is not "USER=".
        let lookalike = try build(base: nil, request(["true"], env: ["USERNAME=x", "HOMES=y"]), user: Self.alice)
        #expect(lookalike["env"]?.stringArrayValue?.contains("USER=alice") == true)
        #expect(lookalike["env"]?.stringArrayValue?.contains("HOME=/home/alice") == true)
    }

    @Test func noBaseGivesAMinimalProcess() throws {
        let process = try build(base: nil, request(["ls", "-l"]), cwd: "/root")
        let keys = try #require(process.objectValue?.keys)
        #expect(Set(keys) == ["args", "cwd", "terminal", "user", "env"])
    }

    @Test func rejectsEmptyArgs() {
        expectInvalid({ () throws(RundleError) in try build(request([])) }, "no command given")
        expectInvalid({ () throws(RundleError) in try build(request([""])) }, "no command given")
    }

    @Test(arguments: ["NOEQUALS", "=value", "", "A=b\0c"])
    func rejectsInvalidEnvEntries(_ entry: String) {
        expectInvalid({ () throws(RundleError) in try build(request(["true"], env: ["OK=1", entry])) },
                      "invalid environment entry")
    }

    @Test func validateEnvMessages() {
        do {
            try ProcessSpecBuilder.validateEnv("JUSTKEY")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "invalid environment entry 'JUSTKEY': expected KEY=VALUE")
        }
        #expect(throws: Never.self) { try ProcessSpecBuilder.validateEnv("K=") }
        #expect(throws: Never.self) { try ProcessSpecBuilder.validateEnv("K==") }
    }
}
