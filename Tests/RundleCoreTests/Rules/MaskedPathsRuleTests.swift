import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct MaskedPathsRuleTests {
    @Test func unprivilegedMasksAndMakesReadOnly() throws {
        let before = Fixtures.busy
        let after = try MaskedPathsRule().apply(before, spec: Fixtures.spec(), context: Fixtures.context())
        #expect(after.json[path: ["linux", "maskedPaths"]] == json("""
            ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
             "/proc/sched_debug", "/proc/scsi", "/sys/firmware"]
            """))
        #expect(after.json[path: ["linux", "readonlyPaths"]] == json("""
            ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
            """))
        expectOnlyChanged(before, after, at: [["linux", "maskedPaths"], ["linux", "readonlyPaths"]])
    }

    @Test func privilegedHasNeither() throws {
        let before = Fixtures.busy
        let after = try MaskedPathsRule().apply(before, spec: Fixtures.spec(privileged: true), context: Fixtures.context())
        #expect(after.json[path: ["linux", "maskedPaths"]] == nil)
        #expect(after.json[path: ["linux", "readonlyPaths"]] == nil)
        expectOnlyChanged(before, after, at: [["linux", "maskedPaths"], ["linux", "readonlyPaths"]])
    }

    @Test func guardiansMaskedPathsAreAllThere() {
        let guardian = ["/proc/kcore", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
                        "/proc/timer_stats", "/proc/keys", "/sys/firmware"]
        #expect(Set(guardian).isSubset(of: Set(MaskedPathsRule.maskedPathsSet)))
        #expect(MaskedPathsRule.maskedPathsSet.contains("/proc/acpi"))
    }
}
