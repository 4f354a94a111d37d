import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct CgroupPathRuleTests {
    @Test func pathIsParentSlashHandle() throws {
        let before = Fixtures.busy
        let after = try CgroupPathRule().apply(before, spec: Fixtures.spec("web-1"), context: Fixtures.context())
        #expect(after.json[path: ["linux", "cgroupsPath"]] == "rundle/web-1")
        expectOnlyChanged(before, after, at: [["linux", "cgroupsPath"]])
    }

    @Test func privilegedContainersGetOneToo() throws {
        let after = try CgroupPathRule().apply(.empty, spec: Fixtures.spec(privileged: true), context: Fixtures.context())
        #expect(after.json == json(#"{"linux": {"cgroupsPath": "rundle/h1"}}"#))
    }

    @Test func nestedParents() throws {
        let after = try CgroupPathRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context(cgroupParent: "ops/rundle"))
        #expect(after.cgroupsPath == "ops/rundle/h1")
    }

    @Test(arguments: ["", "/rundle", "rundle/", "a//b", "../rundle", "a/./b", "a/.."])
    func badParentsAreInvalid(_ parent: String) {
        let error = rundleError { () throws(RundleError) in
            try CgroupPathRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context(cgroupParent: parent))
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: ["..", ".", "", "a/b"])
    func handlesThatAreNotOneComponentAreInvalid(_ handle: String) {
        let error = rundleError { () throws(RundleError) in
            try CgroupPathRule().apply(.empty, spec: Fixtures.spec(handle), context: Fixtures.context())
        }
        #expect(error?.code == .invalidArgument)
    }
}
