import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct RootfsRuleTests {
    @Test func setsRootPathToTheOverlayAndReadonlyFalse() throws {
        let before = Fixtures.busy
        let after = try RootfsRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json["root"] == json(#"{"path": "/var/lib/rundle/depot/h1/rootfs", "readonly": false}"#))
        expectOnlyChanged(before, after, at: [["root"]])
    }

    @Test func doesNotUseTheSharedBaseRootfs() throws {
        let after = try RootfsRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.rootPath != Fixtures.spec().rootfs)
        #expect(after.json == json(#"{"root": {"path": "/var/lib/rundle/depot/h1/rootfs", "readonly": false}}"#))
    }

    @Test func relativeRootfsMountPathIsInvalid() {
        var context = Fixtures.context()
        context.rootfsMountPath = "rootfs"
        let error = rundleError { () throws(RundleError) in try RootfsRule().apply(.empty, spec: Fixtures.spec(), context: context) }
        #expect(error?.code == .invalidArgument)
    }
}
