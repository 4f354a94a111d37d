import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct CapabilitiesRuleTests {
    /// This host's root: every capability but CAP_SYS_RESOURCE.
    static let hostWithoutSysResource = Capabilities.names(mask: 0x0000_01ff_feff_ffff)

    @Test func unprivilegedGetsGuardians14InFourSetsAndNoAmbient() throws {
        let before = Fixtures.busy
        let after = try CapabilitiesRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        let caps = json("""
            ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
             "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
            """)
        var expected = JSON.object(JSONObject())
        for set in ["bounding", "effective", "inheritable", "permitted"] { expected[set] = caps }
        #expect(after.json[path: ["process", "capabilities"]] == expected)
        expectOnlyChanged(before, after, at: [["process", "capabilities"]])
    }

    @Test func unprivilegedIsNotFilteredByTheHost() throws {
        let after = try CapabilitiesRule().apply(.empty, spec: Fixtures.spec(), context: Fixtures.context(hostCapabilities: ["CAP_KILL"]))
        #expect(after.processCapabilities?.bounding.count == 14)
    }

    @Test func privilegedGetsGuardians38WhenTheHostIsUnknown() throws {
        let after = try CapabilitiesRule().apply(.empty, spec: Fixtures.spec(privileged: true), context: Fixtures.context())
        let caps = try #require(after.processCapabilities)
        #expect(caps.bounding.count == 38)
        #expect(caps.bounding == CapabilitiesRule.privilegedSet)
        #expect(caps.effective == caps.bounding)
        #expect(caps.inheritable == caps.bounding)
        #expect(caps.permitted == caps.bounding)
        #expect(caps.ambient.isEmpty)
    }

    @Test func privilegedDropsWhatTheHostLacks() throws {
        let context = Fixtures.context(hostCapabilities: Self.hostWithoutSysResource)
        let after = try CapabilitiesRule().apply(.empty, spec: Fixtures.spec(privileged: true), context: context)
        let caps = try #require(after.processCapabilities)
        #expect(caps.bounding.count == 37)
        #expect(!caps.bounding.contains("CAP_SYS_RESOURCE"))
        #expect(caps.bounding.contains("CAP_SYS_ADMIN"))
        #expect(caps.effective == caps.bounding)
        #expect(after.json[path: ["process", "capabilities", "ambient"]] == nil)
    }

    @Test func guardiansListsHaveTheirSizes() {
        #expect(CapabilitiesRule.unprivilegedSet.count == 14)
        #expect(CapabilitiesRule.privilegedSet.count == 38)
        #expect(Set(CapabilitiesRule.privilegedSet).count == 38)
        #expect(Set(CapabilitiesRule.unprivilegedSet).isSubset(of: Set(CapabilitiesRule.privilegedSet)))
        #expect(Set(CapabilitiesRule.privilegedSet).isSubset(of: Set(Capabilities.names)))
    }

    @Test func boundingSetFromProcStatus() {
        let status = "Name:\tbash\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n"
        let set = Capabilities.boundingSet(procStatus: status)
        #expect(set?.count == 40)
        #expect(set?.contains("CAP_SYS_RESOURCE") == false)
        #expect(set?.contains("CAP_CHECKPOINT_RESTORE") == true)
        #expect(Capabilities.boundingSet(procStatus: "Name:\tx\n") == nil)
        #expect(Capabilities.boundingSet(procStatus: "CapBnd:\tzz\n") == nil)
        #expect(Capabilities.names(mask: 0b10_0001) == ["CAP_CHOWN", "CAP_KILL"])
        #expect(Capabilities.names(mask: UInt64(1) << 63) == [])
    }

    @Test func callerBoundingSetIsReadFromProc() throws {
        let set = try #require(BundleContext.callerBoundingSet)
        #expect(!set.isEmpty)
        #expect(set.isSubset(of: Set(Capabilities.names)))
    }
}
