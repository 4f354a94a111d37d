import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct BaseBundleTests {
    @Test func standardBases() {
        #expect(BaseBundle.standard.privileged.json == json("""
            {"ociVersion": "1.0.2",
             "process": {"rlimits": [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024}]},
             "linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}],
                       "rootfsPropagation": "private"}}
            """))
        var unprivileged = BaseBundle.standard.privileged
        unprivileged.setNamespace(OCINamespace(type: "user"))
        #expect(BaseBundle.standard.unprivileged == unprivileged)
        #expect(!BaseBundle.standard.privileged.hasNamespace("cgroup"))
    }

    @Test func pickByKind() {
        let base = BaseBundle.standard
        #expect(base.bundle(privileged: true) == base.privileged)
        #expect(base.bundle(privileged: false) == base.unprivileged)
    }
}
