import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct NamespacesRuleTests {
    @Test func unprivilegedGetsAUserNamespaceAndTheIDMap() throws {
        var before = Fixtures.busy
        before.removeNamespace("user")
        let after = try NamespacesRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json[path: ["linux", "namespaces"]] == json(#"[{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}, {"type": "user"}]"#))
        let map = json(#"[{"containerID": 0, "hostID": 100000, "size": 65536}]"#)
        #expect(after.json[path: ["linux", "uidMappings"]] == map)
        #expect(after.json[path: ["linux", "gidMappings"]] == map)
        expectOnlyChanged(before, after, at: [["linux", "namespaces"], ["linux", "uidMappings"], ["linux", "gidMappings"]])
    }

    @Test func anExistingUserNamespaceIsKeptNotDuplicated() throws {
        let before = Fixtures.busy
        let after = try NamespacesRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.namespaces == before.namespaces)
    }

    @Test func privilegedHasNoUserNamespaceNorMappings() throws {
        let before = Fixtures.busy
        let after = try NamespacesRule().apply(before, spec: Fixtures.spec(privileged: true), context: Fixtures.context())
        #expect(after.json[path: ["linux", "namespaces"]] == json(#"[{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}]"#))
        #expect(after.json[path: ["linux", "uidMappings"]] == nil)
        #expect(after.json[path: ["linux", "gidMappings"]] == nil)
        expectOnlyChanged(before, after, at: [["linux", "namespaces"], ["linux", "uidMappings"], ["linux", "gidMappings"]])
    }

    @Test func aMultiRangeMapIsWrittenAsGiven() throws {
        let map = [IDMapping(containerID: 0, hostID: 200_000, size: 1), IDMapping(containerID: 1, hostID: 300_001, size: 999)]
        let after = try NamespacesRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context(idMap: map))
        #expect(after.uidMappings == map)
        #expect(after.gidMappings == map)
    }

    @Test(arguments: [
        [IDMapping](),
        [IDMapping(containerID: 1, hostID: 100_000, size: 10)],
        [IDMapping(containerID: 0, hostID: 100_000, size: 0)],
        [IDMapping(containerID: 0, hostID: UInt32.max, size: 2)],
        [IDMapping(containerID: 0, hostID: 100_000, size: 10), IDMapping(containerID: 5, hostID: 200_000, size: 10)],
        [IDMapping(containerID: 0, hostID: 100_000, size: 10), IDMapping(containerID: 10, hostID: 100_005, size: 10)],
    ])
    func unusableIDMapsAreInvalid(_ map: [IDMapping]) {
        let error = rundleError { () throws(RundleError) in
            try NamespacesRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context(idMap: map))
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func privilegedIgnoresTheIDMap() throws {
        let after = try NamespacesRule().apply(.empty, spec: Fixtures.spec(privileged: true), context: Fixtures.context(idMap: []))
        #expect(after == .empty)
    }
}
