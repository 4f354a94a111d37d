import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct InitProcessRuleTests {
    @Test func setsTheInitProcess() throws {
        let before = Fixtures.busy
        let after = try InitProcessRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json["process"] == json("""
            {
              "terminal": false,
              "user": {"uid": 0, "gid": 0, "umask": 18},
              "args": ["/.rundle/init"],
              "env": ["PATH=/bin", "TERM=xterm"],
              "cwd": "/",
              "capabilities": {"bounding": ["CAP_KILL"], "ambient": ["CAP_KILL"]},
              "rlimits": [{"type": "RLIMIT_CORE", "hard": 0, "soft": 0}, {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
              "noNewPrivileges": false,
              "consoleSize": {"height": 24, "width": 80}
            }
            """))
        expectOnlyChanged(before, after, at: [["process"]])
    }

    @Test func onAnEmptyBundleAddsTheDefaultPath() throws {
        let after = try InitProcessRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json == json("""
            {"process": {"args": ["/.rundle/init"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "terminal": false,
                         "noNewPrivileges": false,
                         "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}}
            """))
    }

    @Test func followsTheContextsInitMountPath() throws {
        var context = Fixtures.context()
        context.initMountPath = "/tmp/garden-init"
        let after = try InitProcessRule().apply(.empty, spec: Fixtures.spec(), context: context)
        #expect(after.processArgs == ["/tmp/garden-init"])
    }

    @Test(arguments: ["init", "/", "/.rundle/../init", ""])
    func badInitMountPathsAreInvalid(_ path: String) {
        var context = Fixtures.context()
        context.initMountPath = path
        let error = rundleError { () throws(RundleError) in try InitProcessRule().apply(.empty, spec: Fixtures.spec(), context: context) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func relativeInitPathIsInvalid() {
        var context = Fixtures.context()
        context.initPath = "rundle-init"
        let error = rundleError { () throws(RundleError) in try InitProcessRule().apply(.empty, spec: Fixtures.spec(), context: context) }
        #expect(error?.code == .invalidArgument)
    }
}
