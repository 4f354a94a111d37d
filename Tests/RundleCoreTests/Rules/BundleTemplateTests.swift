import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct BundleTemplateTests {
    static let hostWithoutSysResource = Capabilities.names(mask: 0x0000_01ff_feff_ffff)

    @Test func standardRuleOrder() {
        let names = BundleTemplate.standard().rules.map { String(describing: type(of: $0)) }
        #expect(names == ["RootfsRule", "NamespacesRule", "CgroupPathRule", "DefaultMountsRule", "BindMountsRule",
                          "InitProcessRule", "EnvRule", "RlimitsRule", "CapabilitiesRule", "MaskedPathsRule",
                          "HostnameRule", "LimitsRule"])
    }

    @Test func unprivilegedStandardBundle() throws {
        var spec = Fixtures.spec("web-1")
        spec.env = ["A=1"]
        let bundle = try BundleTemplate.standard().generate(spec: spec, context: Fixtures.context(hostCapabilities: ["CAP_KILL"]))
        #expect(bundle.ociVersion == "1.0.2")
        #expect(bundle.rootPath == "/var/lib/rundle/depot/h1/rootfs")
        #expect(bundle.json[path: ["root", "readonly"]] == false)
        #expect(bundle.hostname == "web-1")
        #expect(bundle.namespaces.map(\.type) == ["pid", "ipc", "uts", "mount", "network", "user"])
        #expect(bundle.namespaces.allSatisfy { $0.path == nil })
        #expect(bundle.uidMappings == [IDMapping(containerID: 0, hostID: 100_000, size: 65_536)])
        #expect(bundle.gidMappings == bundle.uidMappings)
        #expect(bundle.rootfsPropagation == "private")
        #expect(bundle.cgroupsPath == "rundle/web-1")
        let caps = try #require(bundle.processCapabilities)
        #expect(caps.bounding == CapabilitiesRule.unprivilegedSet)
        #expect(caps.effective == caps.bounding && caps.inheritable == caps.bounding && caps.permitted == caps.bounding)
        #expect(caps.ambient.isEmpty)
        #expect(bundle.maskedPaths == MaskedPathsRule.maskedPathsSet)
        #expect(bundle.readonlyPaths == MaskedPathsRule.readonlyPathsSet)
        #expect(bundle.mounts.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/.rundle/init"])
        #expect(bundle.mounts[2].options.contains("gid=5"))
        #expect(bundle.processArgs == ["/.rundle/init"])
        #expect(bundle.processEnv == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1"])
        #expect(bundle.processCwd == "/")
        #expect(bundle.processUser == OCIUser(uid: 0, gid: 0))
        #expect(bundle.processTerminal == false)
        #expect(bundle.processNoNewPrivileges == false)
        #expect(bundle.processRlimits == [OCIRlimit(type: "RLIMIT_NOFILE", hard: 4096, soft: 1024)])
        #expect(bundle.resourceDevices == DefaultMountsRule.deviceRules)
        #expect(bundle.memoryLimit == nil && bundle.cpuShares == nil && bundle.pidsLimit == nil)
    }

    @Test func privilegedStandardBundle() throws {
        let context = Fixtures.context(hostCapabilities: Self.hostWithoutSysResource)
        let bundle = try BundleTemplate.standard().generate(spec: Fixtures.spec("p1", privileged: true), context: context)
        #expect(bundle.namespaces.map(\.type) == ["pid", "ipc", "uts", "mount", "network"])
        #expect(bundle.json[path: ["linux", "uidMappings"]] == nil)
        #expect(bundle.json[path: ["linux", "gidMappings"]] == nil)
        let caps = try #require(bundle.processCapabilities)
        #expect(caps.bounding == CapabilitiesRule.privilegedSet.filter { $0 != "CAP_SYS_RESOURCE" })
        #expect(caps.effective == caps.bounding)
        #expect(caps.ambient.isEmpty)
        #expect(bundle.json[path: ["linux", "maskedPaths"]] == nil)
        #expect(bundle.json[path: ["linux", "readonlyPaths"]] == nil)
        #expect(bundle.mounts.first { $0.destination == "/sys" }?.options.contains("ro") == true)
        #expect(bundle.cgroupsPath == "rundle/p1")
        #expect(bundle.hostname == "p1")
    }

    @Test func theWholeUnprivilegedDocument() throws {
        var spec = Fixtures.spec()
        spec.limits.memoryBytes = 1 << 30
        spec.bindMounts = [BindMount(source: "/srv/data", destination: "/data", readOnly: true)]
        let bundle = try BundleTemplate.standard().generate(spec: spec, context: Fixtures.context())
        let mounts = DefaultMountsRuleTests.expectedMounts(gid5: true).arrayValue ?? []
        var expected = json("""
            {
              "ociVersion": "1.0.2",
              "process": {
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024}],
                "args": ["/.rundle/init"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "terminal": false,
                "noNewPrivileges": false, "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "capabilities": {}
              },
              "linux": {
                "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}, {"type": "user"}],
                "rootfsPropagation": "private",
                "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                "cgroupsPath": "rundle/h1",
                "resources": {"devices": [], "memory": {"limit": 1073741824, "swap": 1073741824}},
                "maskedPaths": [], "readonlyPaths": []
              },
              "root": {"path": "/var/lib/rundle/depot/h1/rootfs", "readonly": false},
              "mounts": [],
              "hostname": "h1"
            }
            """)
        let caps = JSON(CapabilitiesRule.unprivilegedSet)
        expected[path: ["process", "capabilities"]] = ["bounding": caps, "effective": caps, "inheritable": caps, "permitted": caps]
        expected[path: ["linux", "resources", "devices"]] = .array(DefaultMountsRule.deviceRules.map(\.json))
        expected[path: ["linux", "maskedPaths"]] = JSON(MaskedPathsRule.maskedPathsSet)
        expected[path: ["linux", "readonlyPaths"]] = JSON(MaskedPathsRule.readonlyPathsSet)
        expected["mounts"] = .array(mounts + [json(#"{"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro", "rro"]}"#)])
        #expect(bundle.json == expected)
    }

    @Test func unknownFieldsOfACustomBaseSurvive() throws {
        var base = BaseBundle.standard
        for privileged in [false, true] {
            var bundle = base.bundle(privileged: privileged)
            bundle.json["annotations"] = ["x": "y"]
            bundle.json["org.custom"] = 1
            bundle.json[path: ["linux", "sysctl"]] = ["net.ipv4.ping_group_range": "0 2147483647"]
            bundle.json[path: ["process", "consoleSize"]] = ["height": 24, "width": 80]
            if privileged { base.privileged = bundle } else { base.unprivileged = bundle }
        }
        let template = BundleTemplate(base: base, rules: BundleTemplate.standardRules)
        for privileged in [false, true] {
            var spec = Fixtures.spec(privileged: privileged)
            spec.env = ["A=1"]
            spec.limits = ResourceLimits(memoryBytes: 64 << 20, pids: 10)
            spec.bindMounts = [BindMount(source: "/srv/data", destination: "/data")]
            let bundle = try template.generate(spec: spec, context: Fixtures.context())
            #expect(bundle.json["annotations"] == ["x": "y"])
            #expect(bundle.json["org.custom"] == 1)
            #expect(bundle.json[path: ["linux", "sysctl"]] == ["net.ipv4.ping_group_range": "0 2147483647"])
            #expect(bundle.json[path: ["process", "consoleSize"]] == ["height": 24, "width": 80])
        }
    }

    @Test func aHugeMemoryLimitSurvivesGenerationExactly() throws {
        var spec = Fixtures.spec()
        spec.limits.memoryBytes = 9_223_372_036_854_771_712
        let bundle = try BundleTemplate.standard().generate(spec: spec, context: Fixtures.context())
        let text = bundle.json.serialized()
        #expect(text.contains(#""memory":{"limit":9223372036854771712,"swap":9223372036854771712}"#))
        #expect(Bundle(json: try JSON.parse(text)).memoryLimit == 9_223_372_036_854_771_712)
    }

    @Test func badInputFailsTheWholeGeneration() {
        var missing = Fixtures.spec()
        missing.bindMounts = [BindMount(source: "/nope", destination: "/d")]
        var relative = Fixtures.spec()
        relative.bindMounts = [BindMount(source: "/srv/data", destination: "d")]
        var env = Fixtures.spec()
        env.env = ["JUSTANAME"]
        var memory = Fixtures.spec()
        memory.limits.memoryBytes = -1
        for spec in [missing, relative, env, memory] {
            let error = rundleError { () throws(RundleError) in
                try BundleTemplate.standard().generate(spec: spec, context: Fixtures.context())
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.handle == "h1")
        }
    }

    @Test func rulesRunInOrderOnTheBaseForTheKind() throws {
        struct Tag: BundleRule {
            let name: String
            func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
                var bundle = bundle
                bundle.processArgs.append(name)
                return bundle
            }
        }
        var privileged = Bundle.empty
        privileged.hostname = "P"
        var unprivileged = Bundle.empty
        unprivileged.hostname = "U"
        let template = BundleTemplate(base: BaseBundle(privileged: privileged, unprivileged: unprivileged),
                                      rules: [Tag(name: "a"), Tag(name: "b")])
        let p = try template.generate(spec: Fixtures.spec(privileged: true), context: Fixtures.context())
        let u = try template.generate(spec: Fixtures.spec(), context: Fixtures.context())
        #expect(p.hostname == "P" && u.hostname == "U")
        #expect(p.processArgs == ["a", "b"])
    }
}
