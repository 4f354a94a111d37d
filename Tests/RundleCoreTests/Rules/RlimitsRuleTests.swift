import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct RlimitsRuleTests {
    @Test func replacesSameTypeInPlaceAndAppendsNewTypes() throws {
        var spec = Fixtures.spec()
        spec.rlimits = [Rlimit(type: "RLIMIT_NPROC", soft: 100, hard: 200), Rlimit(type: "RLIMIT_NOFILE", soft: 2048, hard: 8192)]
        let before = Fixtures.busy
        let after = try RlimitsRule().apply(before, spec: spec, context: Fixtures.context())
        #expect(after.json[path: ["process", "rlimits"]] == json("""
            [{"type": "RLIMIT_CORE", "hard": 0, "soft": 0}, {"type": "RLIMIT_NOFILE", "hard": 8192, "soft": 2048},
             {"type": "RLIMIT_NPROC", "hard": 200, "soft": 100}]
            """))
        expectOnlyChanged(before, after, at: [["process", "rlimits"]])
    }

    @Test func noRlimitsLeavesTheBaseDefault() throws {
        let base = BaseBundle.standard.unprivileged
        let after = try RlimitsRule().apply(base, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.processRlimits == [OCIRlimit(type: "RLIMIT_NOFILE", hard: 4096, soft: 1024)])
    }

    @Test func unlimitedIsTheLargestUInt64() throws {
        var spec = Fixtures.spec()
        spec.rlimits = [Rlimit(type: "RLIMIT_CORE", soft: UInt64.max, hard: UInt64.max)]
        let after = try RlimitsRule().apply(.empty, spec: spec, context: Fixtures.context())
        #expect(after.json.serialized() == #"{"process":{"rlimits":[{"type":"RLIMIT_CORE","hard":18446744073709551615,"soft":18446744073709551615}]}}"#)
    }

    @Test(arguments: [Rlimit(type: "NOFILE", soft: 1, hard: 1), Rlimit(type: "RLIMIT_NOFILE", soft: 2, hard: 1)])
    func badRlimitsAreInvalid(_ limit: Rlimit) {
        var spec = Fixtures.spec()
        spec.rlimits = [limit]
        let error = rundleError { () throws(RundleError) in try RlimitsRule().apply(.empty, spec: spec, context: Fixtures.context()) }
        #expect(error?.code == .invalidArgument)
    }
}
