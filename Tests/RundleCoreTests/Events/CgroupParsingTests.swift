import Testing
import RundleOS
@testable import RundleCore

@Suite struct CgroupParsingTests {
    static let hybridMountinfo = """
    31 23 0:28 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
    32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
    33 31 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd
    34 31 0:31 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
    35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
    36 31 0:33 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
    37 23 0:40 / /tmp/with\\040space rw - tmpfs tmpfs rw
    """

    @Test func parsesV1AndV2Mounts() {
        let mounts = parseCgroupMounts(Self.hybridMountinfo)
        #expect(mounts.count == 5)
        #expect(mounts[0] == CgroupMount(version: 2, mountPoint: "/sys/fs/cgroup/unified", root: "/", controllers: []))
        #expect(mounts[1].controllers == ["name=systemd"])
        #expect(mounts[2].controllers == ["cpu", "cpuacct"])
    }

    @Test func resolvesNestedV1PathsPerController() {
        let procCgroup = """
        12:pids:/process_api/abc/rundle/h1
        4:memory:/process_api/abc/rundle/h1
        3:cpu,cpuacct:/rundle/h1
        1:name=systemd:/
        0::/rundle/h1
        """
        let paths = resolveCgroupPaths(procCgroup: procCgroup, mounts: parseCgroupMounts(Self.hybridMountinfo))
        #expect(paths.v1["memory"] == "/sys/fs/cgroup/memory/process_api/abc/rundle/h1")
        #expect(paths.v1["pids"] == "/sys/fs/cgroup/pids/process_api/abc/rundle/h1")
        #expect(paths.v1["cpuacct"] == "/sys/fs/cgroup/cpu,cpuacct/rundle/h1")
        #expect(paths.v1["cpu"] == "/sys/fs/cgroup/cpu,cpuacct/rundle/h1")
        #expect(paths.v1["name=systemd"] == "/sys/fs/cgroup/systemd")
        #expect(paths.unified == "/sys/fs/cgroup/unified/rundle/h1")
    }

    @Test func resolvesPureV2AndANamespacedRoot() {
        let mountinfo = "30 23 0:26 /outer /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
        let paths = resolveCgroupPaths(procCgroup: "0::/outer/rundle/h2\n", mounts: parseCgroupMounts(mountinfo))
        #expect(paths.v1.isEmpty)
        #expect(paths.unified == "/sys/fs/cgroup/rundle/h2")
        // Unmounted unified hierarchy (crun tests): no unified path.
        let none = resolveCgroupPaths(procCgroup: "0::/x\n", mounts: parseCgroupMounts(Self.hybridMountinfo.replacingCgroup2()))
        #expect(none.unified == nil)
    }

    @Test func parsesKeyValuesAndMax() {
        let kv = parseCgroupKeyValues("oom_kill_disable 0\nunder_oom 0\noom_kill 3\nbogus line here\nx notanumber\n")
        #expect(kv == ["oom_kill_disable": 0, "under_oom": 0, "oom_kill": 3])
        #expect(CgroupValue("max") == .max)
        #expect(CgroupValue("33554432") == .value(33554432))
        #expect(CgroupValue(nil) == .missing)
    }

    @Test func readsV1Metrics() {
        let mem = "/m", cpu = "/c", pids = "/p"
        let files = [
            "/m/memory.usage_in_bytes": "20971520",
            "/m/memory.limit_in_bytes": "33554432",
            "/m/memory.memsw.usage_in_bytes": "20971520",
            "/m/memory.stat": "cache 4096\nrss 20000000\nmapped_file 0\ntotal_cache 4096\ntotal_rss 20000000\ntotal_swap 0\ntotal_inactive_file 1096\npgfault 5000\nhierarchical_memory_limit 33554432\n",
            "/m/memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 2",
            "/c/cpuacct.usage": "1500000000",
            "/c/cpuacct.stat": "user 100\nsystem 50",
            "/p/pids.current": "3",
            "/p/pids.max": "max",
        ]
        let reader = CgroupMetricsReader(paths: CgroupPaths(v1: ["memory": mem, "cpuacct": cpu, "pids": pids]), files: files, clockTicks: 100)
        let m = reader.metrics(handle: "h", ageNanos: 7)
        #expect(m.memory?.cgroupVersion == 1)
        #expect(m.memory?.usageBytes == 20971520)
        #expect(m.memory?.limitBytes == 33554432)
        #expect(m.memory?.swapBytes == 0)
        #expect(m.memory?.stat["rss"] == 20000000)
        #expect(m.memory?.totalUsageTowardLimit == 20000000 + 4096 - 1096)
        #expect(m.cpu == CPUMetrics(usageNanos: 1_500_000_000, userNanos: 1_000_000_000, systemNanos: 500_000_000))
        #expect(m.pids == PidMetrics(current: 3, limit: nil))
        #expect(m.oomKills == 2)
        let garden = m.gardenJSON()
        #expect(garden["MemoryStat"]?["rss"]?.uint64Value == 20000000)
        #expect(garden["MemoryStat"]?["swap"]?.uint64Value == 0)
        #expect(garden["MemoryStat"]?["TotalUsageTowardLimit"]?.uint64Value == 20003000)
        #expect(garden["CPUStat"]?["User"]?.uint64Value == 1_000_000_000)
        #expect(garden["PidStat"]?["Current"]?.uint64Value == 3)
        #expect(garden["PidStat"]?["Max"]?.uint64Value == 0)
        #expect(garden["Age"]?.int64Value == 7)
    }

    @Test func v1UnlimitedMemoryIsNil() {
        let reader = CgroupMetricsReader(paths: CgroupPaths(v1: ["memory": "/m"]),
                                         files: ["/m/memory.usage_in_bytes": "1", "/m/memory.limit_in_bytes": "9223372036854771712"])
        #expect(reader.memory()?.limitBytes == nil)
    }

    @Test func readsV2Metrics() {
        let files = [
            "/u/memory.current": "25000000",
            "/u/memory.max": "33554432",
            "/u/memory.swap.current": "0",
            "/u/memory.swap.max": "0",
            "/u/memory.stat": "anon 20000000\nfile 4000000\nfile_mapped 100\nactive_anon 19000000\ninactive_anon 1000000\nactive_file 3000000\ninactive_file 1000000\nswapcached 0\npgfault 42\npgmajfault 1\nunevictable 0\n",
            "/u/memory.events": "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0",
            "/u/cpu.stat": "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 0",
            "/u/pids.current": "4",
            "/u/pids.max": "100",
        ]
        let reader = CgroupMetricsReader(paths: CgroupPaths(unified: "/u"), files: files)
        let m = reader.metrics(handle: "h", ageNanos: 1)
        #expect(m.memory?.cgroupVersion == 2)
        #expect(m.memory?.usageBytes == 25000000)
        #expect(m.memory?.limitBytes == 33554432)
        #expect(m.memory?.stat["rss"] == 20000000)
        #expect(m.memory?.stat["total_rss"] == 20000000)
        #expect(m.memory?.stat["cache"] == 4000000)
        #expect(m.memory?.stat["mapped_file"] == 100)
        #expect(m.memory?.stat["hierarchical_memory_limit"] == 33554432)
        #expect(m.memory?.stat["hierarchical_memsw_limit"] == 33554432)
        #expect(m.memory?.totalUsageTowardLimit == 23000000)
        #expect(m.cpu == CPUMetrics(usageNanos: 2_000_000, userNanos: 1_500_000, systemNanos: 500_000))
        #expect(m.pids == PidMetrics(current: 4, limit: 100))
        #expect(m.oomKills == 1)
        #expect(m.gardenJSON()["MemoryStat"]?["anon"]?.uint64Value == 20000000)
    }

    @Test func hybridPrefersV1AndFallsBackToUnified() {
        // memory on v1; pids only in the unified tree.
        let files = ["/m/memory.usage_in_bytes": "5", "/u/memory.current": "9", "/u/pids.current": "2", "/u/pids.max": "max"]
        let reader = CgroupMetricsReader(paths: CgroupPaths(v1: ["memory": "/m"], unified: "/u"), files: files)
        #expect(reader.memory()?.usageBytes == 5)
        #expect(reader.pids() == PidMetrics(current: 2, limit: nil))
        #expect(reader.cpu() == nil)
        #expect(reader.oomKillCount() == nil)
    }
}

private extension String {
    func replacingCgroup2() -> String {
        split(separator: "\n").filter { !$0.contains("cgroup2") }.joined(separator: "\n")
    }
}
