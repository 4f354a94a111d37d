import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct DefaultMountsRuleTests {
    static func expectedMounts(gid5: Bool, initOptions: String = #"["bind", "ro", "nosuid", "nodev"]"#) -> JSON {
        json("""
        [
          {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
          {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "noexec", "strictatime", "mode=755", "size=65536k"]},
          {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
           "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"\(gid5 ? #", "gid=5""# : "")]},
          {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
          {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
          {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
          {"destination": "/.rundle/init", "type": "bind", "source": "/usr/lib/rundle/rundle-init", "options": \(initOptions)}
        ]
        """)
    }

    static let deviceRules = json("""
        [{"allow": false, "access": "rwm"},
         {"allow": true, "type": "c", "access": "m"}, {"allow": true, "type": "b", "access": "m"},
         {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
         {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"},
         {"allow": true, "type": "c", "major": 1, "minor": 7, "access": "rwm"},
         {"allow": true, "type": "c", "major": 1, "minor": 8, "access": "rwm"},
         {"allow": true, "type": "c", "major": 1, "minor": 9, "access": "rwm"},
         {"allow": true, "type": "c", "major": 5, "minor": 0, "access": "rwm"},
         {"allow": true, "type": "c", "major": 5, "minor": 2, "access": "rwm"},
         {"allow": true, "type": "c", "major": 136, "access": "rwm"}]
        """)

    @Test func unprivilegedWithTheDefaultMapGetsGid5() throws {
        let after = try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json["mounts"] == Self.expectedMounts(gid5: true))
        #expect(after.json[path: ["linux", "resources", "devices"]] == Self.deviceRules)
        #expect(after.json[path: ["linux", "devices"]] == nil)
    }

    @Test func unprivilegedWithoutGid5MappedLeavesGidOut() throws {
        let context = Fixtures.context(idMap: [IDMapping(containerID: 0, hostID: 100_000, size: 1)])
        let after = try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(), context: context)
        #expect(after.json["mounts"] == Self.expectedMounts(gid5: false))
    }

    @Test func privilegedAlwaysGetsGid5() throws {
        let after = try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(privileged: true), context: Fixtures.context(idMap: []))
        #expect(after.json["mounts"] == Self.expectedMounts(gid5: true))
        #expect(!after.mounts.contains { $0.destination == "/sys/fs/cgroup" })
    }

    @Test func replacesOwnedDestinationsAndKeepsOtherMountsAfter() throws {
        let before = Fixtures.busy
        let after = try DefaultMountsRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        var expected = Self.expectedMounts(gid5: true).arrayValue ?? []
        expected.append(json(#"{"destination": "/etc/hosts", "type": "bind", "source": "/var/hosts", "options": ["bind", "ro"]}"#))
        #expect(after.json["mounts"] == .array(expected))
        #expect(after.json[path: ["linux", "resources", "devices"]] == Self.deviceRules)
        expectOnlyChanged(before, after, at: [["mounts"], ["linux", "resources", "devices"]])
    }

    @Test func initMountRepeatsItsSourcesLockedFlags() throws {
        let context = Fixtures.context(locked: [Fixtures.initPath: ["nosuid", "noexec", "relatime"]])
        let after = try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(), context: context)
        #expect(after.json["mounts"] == Self.expectedMounts(gid5: true, initOptions: #"["bind", "ro", "nosuid", "nodev", "noexec", "relatime"]"#))
    }

    @Test func initMountFollowsTheContext() throws {
        var context = Fixtures.context()
        context.initMountPath = "/tmp/garden-init"
        let after = try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(), context: context)
        #expect(after.mounts.last == OCIMount(destination: "/tmp/garden-init", type: "bind", source: Fixtures.initPath,
                                              options: ["bind", "ro", "nosuid", "nodev"]))
    }

    @Test func badInitPathsAreInvalid() {
        var context = Fixtures.context()
        context.initMountPath = "/../init"
        let error = rundleError { () throws(RundleError) in try DefaultMountsRule().apply(.empty, spec: Fixtures.spec(), context: context) }
        #expect(error?.code == .invalidArgument)
    }
}
