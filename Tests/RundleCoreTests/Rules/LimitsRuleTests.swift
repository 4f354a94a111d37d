import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct LimitsRuleTests {
    @Test func writesEveryLimit() throws {
        var spec = Fixtures.spec()
        spec.limits = ResourceLimits(memoryBytes: 64 << 20, cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 200_000, pids: 100)
        let before = Fixtures.busy
        let after = try LimitsRule().apply(before, spec: spec, context: Fixtures.context())
        #expect(after.json[path: ["linux", "resources"]] == json("""
            {"memory": {"limit": 67108864, "swap": 67108864}, "devices": [{"allow": true, "access": "rwm"}],
             "blockIO": {"weight": 10}, "cpu": {"shares": 512, "quota": 50000, "period": 200000}, "pids": {"limit": 100}}
            """))
        expectOnlyChanged(before, after, at: [["linux", "resources", "memory"], ["linux", "resources", "cpu"],
                                              ["linux", "resources", "pids"]])
    }

    @Test func quotaAloneGetsTheDefaultPeriod() throws {
        var spec = Fixtures.spec()
        spec.limits.cpuQuota = 25_000
        let after = try LimitsRule().apply(.empty, spec: spec, context: Fixtures.context())
        #expect(after.json == json(#"{"linux": {"resources": {"cpu": {"quota": 25000, "period": 100000}}}}"#))
    }

    @Test func unsetLimitsAreAbsentEvenIfTheBaseHadThem() throws {
        let before = Fixtures.busy
        let after = try LimitsRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json[path: ["linux", "resources"]] == json(#"{"devices": [{"allow": true, "access": "rwm"}], "blockIO": {"weight": 10}}"#))
        #expect(after.memoryLimit == nil)
        #expect(after.memorySwap == nil)
    }

    @Test func noLimitsOnAnEmptyBundleAddsNothing() throws {
        #expect(try LimitsRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context()) == .empty)
    }

    @Test func zeroMeansUnset() throws {
        var spec = Fixtures.spec()
        spec.limits = ResourceLimits(memoryBytes: 0, cpuShares: 0, cpuQuota: 0, cpuPeriod: 0, pids: 0)
        #expect(try LimitsRule().apply(.empty, spec: spec, context: Fixtures.context()) == .empty)
    }

    @Test func hugeMemoryLimitSurvivesExactly() throws {
        var spec = Fixtures.spec()
        spec.limits.memoryBytes = 9_223_372_036_854_771_712
        let after = try LimitsRule().apply(.empty, spec: spec, context: Fixtures.context())
        #expect(after.memoryLimit == 9_223_372_036_854_771_712)
        #expect(after.json.serialized() == #"{"linux":{"resources":{"memory":{"limit":9223372036854771712,"swap":9223372036854771712}}}}"#)
    }

    @Test(arguments: [
        ResourceLimits(memoryBytes: -1),
        ResourceLimits(cpuQuota: -1),
        ResourceLimits(pids: -5),
        ResourceLimits(memoryBytes: Int64.min),
    ])
    func negativeValuesAreInvalid(_ limits: ResourceLimits) {
        var spec = Fixtures.spec()
        spec.limits = limits
        let error = rundleError { () throws(RundleError) in try LimitsRule().apply(.empty, spec: spec, context: Fixtures.context()) }
        #expect(error?.code == .invalidArgument)
    }
}
