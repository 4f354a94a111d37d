import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct EnvRuleTests {
    @Test func overridesInPlaceAndAppendsNewNamesInOrder() throws {
        var spec = Fixtures.spec()
        spec.env = ["B=2", "PATH=/opt/bin", "A=1"]
        let before = Fixtures.busy
        let after = try EnvRule().apply(before, spec: spec, context: Fixtures.context())
        #expect(after.json[path: ["process", "env"]] == ["PATH=/opt/bin", "TERM=xterm", "B=2", "A=1"])
        expectOnlyChanged(before, after, at: [["process", "env"]])
    }

    @Test func lastValueOfARepeatedNameWinsAtItsFirstPlace() throws {
        #expect(try EnvRule.merge(["X=0"], ["A=1", "B=2", "A=3"]) == ["X=0", "A=3", "B=2"])
    }

    @Test func valuesMayContainEqualsOrBeEmpty() throws {
        #expect(try EnvRule.merge([], ["A=b=c", "E="]) == ["A=b=c", "E="])
    }

    @Test func noEnvLeavesTheBundleAlone() throws {
        let before = Fixtures.busy
        let after = try EnvRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after == before)
    }

    @Test(arguments: ["NOEQUALS", "=value", "", "A\0B=1"])
    func malformedEntriesAreInvalid(_ entry: String) {
        var spec = Fixtures.spec()
        spec.env = ["OK=1", entry]
        let error = rundleError { () throws(RundleError) in try EnvRule().apply(Fixtures.busy, spec: spec, context: Fixtures.context()) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.handle == "h1")
    }
}
