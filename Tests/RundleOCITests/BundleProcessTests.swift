import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct BundleProcessTests {
    @Test func readsProcessFields() {
        let bundle = Bundle(json: json(sampleConfigText))
        #expect(bundle.processArgs == ["sh"])
        #expect(bundle.processEnv == ["PATH=/bin", "TERM=xterm"])
        #expect(bundle.processCwd == "/")
        #expect(bundle.processTerminal == true)
        #expect(bundle.processNoNewPrivileges == true)
        #expect(bundle.processUser == OCIUser(uid: 0, gid: 0, extra: JSONObject([("umask", 18)])))
        #expect(bundle.processCapabilities == OCICapabilities(bounding: ["CAP_KILL"], effective: ["CAP_KILL"], ambient: ["CAP_KILL"]))
        #expect(bundle.processRlimits == [OCIRlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
    }

    @Test func writesProcessFieldsAndKeepsTheRest() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.processArgs = ["/.rundle/init"]
        bundle.processUser = OCIUser(uid: 1000, gid: 1001, additionalGids: [5, 6])
        bundle.processCapabilities = OCICapabilities(bounding: ["CAP_CHOWN"], permitted: ["CAP_CHOWN"])
        bundle.processTerminal = false
        let process = bundle.json["process"]
        #expect(process?["args"] == ["/.rundle/init"])
        #expect(process?["user"] == json(#"{"uid": 1000, "gid": 1001, "additionalGids": [5, 6]}"#))
        #expect(process?["capabilities"] == json(#"{"bounding": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}"#))
        #expect(process?["terminal"] == false)
        #expect(process?["consoleSize"] == json(#"{"height": 24, "width": 80}"#))
        #expect(bundle.json["annotations"] == json(#"{"x": "y"}"#))
    }

    @Test func userKeepsUnmodelledMembers() {
        var bundle = Bundle(json: json(sampleConfigText))
        var user = bundle.processUser
        user?.uid = 7
        bundle.processUser = user
        #expect(bundle.json[path: ["process", "user"]] == json(#"{"uid": 7, "gid": 0, "umask": 18}"#))
    }

    @Test func emptyListsRemoveTheirKeys() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.processEnv = []
        bundle.processRlimits = []
        #expect(bundle.json[path: ["process", "env"]] == nil)
        #expect(bundle.json[path: ["process", "rlimits"]] == nil)
        #expect(bundle.json[path: ["process", "args"]] == ["sh"])
    }

    @Test func processViewStandsAlone() {
        var process = OCIProcess.empty
        process.args = ["/bin/sh", "-c", "true"]
        process.env = ["A=1"]
        process.cwd = "/"
        process.user = OCIUser(uid: 0, gid: 0)
        process.terminal = true
        #expect(process.json == json("""
            {"args": ["/bin/sh", "-c", "true"], "env": ["A=1"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "terminal": true}
            """))
    }

    @Test func malformedUserReadsAsNil() {
        let bundle = Bundle(json: json(#"{"process": {"user": {"uid": -1, "gid": 0}}}"#))
        #expect(bundle.processUser == nil)
        let big = Bundle(json: json(#"{"process": {"user": {"uid": 4294967296, "gid": 0}}}"#))
        #expect(big.processUser == nil)
        let max = Bundle(json: json(#"{"process": {"user": {"uid": 4294967295, "gid": 0}}}"#))
        #expect(max.processUser?.uid == UInt32.max)
    }

    @Test func capabilitiesWithAWrongTypedSetReadAsNil() {
        let bundle = Bundle(json: json(#"{"process": {"capabilities": {"bounding": [1]}}}"#))
        #expect(bundle.processCapabilities == nil)
    }
}
