import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct BindMountsRuleTests {
    @Test func appendsReadOnlyAndReadWriteBindsAfterExistingMounts() throws {
        var spec = Fixtures.spec()
        spec.bindMounts = [
            BindMount(source: "/srv/data", destination: "/data", readOnly: true),
            BindMount(source: "/srv/cache", destination: "/var/cache/app", readOnly: false),
        ]
        let context = Fixtures.context(locked: ["/srv/data": ["nosuid", "nodev", "relatime"]])
        let before = Fixtures.busy
        let after = try BindMountsRule().apply(before, spec: spec, context: context)
        #expect(after.json["mounts"] == json("""
            [
              {"destination": "/proc", "type": "proc", "source": "proc"},
              {"destination": "/etc/hosts", "type": "bind", "source": "/var/hosts", "options": ["bind", "ro"]},
              {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro", "rro", "nosuid", "nodev", "relatime"]},
              {"destination": "/var/cache/app", "type": "bind", "source": "/srv/cache", "options": ["rbind", "rw"]}
            ]
            """))
        expectOnlyChanged(before, after, at: [["mounts"]])
    }

    @Test func lockedFlagsNeverOverrideTheMountsOwnChoice() {
        #expect(BindMountsRule.options(readOnly: false, locked: ["ro", "bind", "noexec", "noexec"]) == ["rbind", "rw", "noexec"])
    }

    @Test func noBindMountsLeavesTheBundleAlone() throws {
        let before = Fixtures.busy
        #expect(try BindMountsRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context()) == before)
    }

    @Test func missingSourceIsInvalid() {
        var spec = Fixtures.spec()
        spec.bindMounts = [BindMount(source: "/x", destination: "/x")]
        let error = rundleError { () throws(RundleError) in try BindMountsRule().apply(.empty, spec: spec, context: Fixtures.context()) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "bind mount source '/x' does not exist")
        #expect(error?.handle == "h1")
    }

    @Test(arguments: [
        BindMount(source: "srv/data", destination: "/data"),
        BindMount(source: "/srv/data", destination: "data"),
        BindMount(source: "/srv/data", destination: "/data/../../etc"),
        BindMount(source: "/srv/data", destination: "/.."),
        BindMount(source: "/srv/data", destination: "/"),
        BindMount(source: "/srv/data", destination: ""),
    ])
    func badPathsAreInvalid(_ bind: BindMount) {
        var spec = Fixtures.spec()
        spec.bindMounts = [bind]
        let error = rundleError { () throws(RundleError) in try BindMountsRule().apply(.empty, spec: spec, context: Fixtures.context()) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func dotsInsideANameAreFine() throws {
        var spec = Fixtures.spec()
        spec.bindMounts = [BindMount(source: "/srv/data", destination: "/opt/..data/x..y")]
        let after = try BindMountsRule().apply(.empty, spec: spec, context: Fixtures.context())
        #expect(after.mounts.map(\.destination) == ["/opt/..data/x..y"])
    }

    @Test func aLaterBadMountRejectsTheWholeSpec() {
        var spec = Fixtures.spec()
        spec.bindMounts = [BindMount(source: "/srv/data", destination: "/ok"), BindMount(source: "/gone", destination: "/d")]
        let error = rundleError { () throws(RundleError) in try BindMountsRule().apply(.empty, spec: spec, context: Fixtures.context()) }
        #expect(error?.message == "bind mount source '/gone' does not exist")
    }
}
