import Testing
@testable import RundleCore

@Suite struct BundleContextTests {
    @Test func defaults() {
        let context = BundleContext(containerDir: "/d/h", rootfsMountPath: "/d/h/rootfs", initPath: "/bin/init")
        #expect(context.initMountPath == "/.rundle/init")
        #expect(context.cgroupParent == "rundle")
        #expect(context.idMap == [IDMapping(containerID: 0, hostID: 100_000, size: 65_536)])
        #expect(context.hostCapabilities == BundleContext.callerBoundingSet)
        #expect(context.pathExists("/"))
        #expect(!context.pathExists("/definitely/not/here"))
    }

    @Test func statvfsFlagsBecomeMountOptions() {
        #expect(BundleContext.mountOptions(statvfsFlags: 0) == [])
        #expect(BundleContext.mountOptions(statvfsFlags: 1 | 2 | 4 | 8 | 4096) == ["nosuid", "nodev", "noexec", "relatime"])
        #expect(BundleContext.mountOptions(statvfsFlags: 1024 | 2048) == ["noatime", "nodiratime"])
    }

    @Test func lockedMountOptionsOfTheRealHost() {
        #expect(BundleContext.lockedMountOptions(of: "/definitely/not/here") == [])
        // Which flags "/" has depends on the host; they are always among the six, each once.
        let known: Set<String> = ["nosuid", "nodev", "noexec", "noatime", "nodiratime", "relatime"]
        let root = BundleContext.lockedMountOptions(of: "/")
        #expect(Set(root).isSubset(of: known))
        #expect(Set(root).count == root.count)
    }
}
