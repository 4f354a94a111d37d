import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct BundleLinuxTests {
    @Test func readsLinuxFields() {
        let bundle = Bundle(json: json(sampleConfigText))
        #expect(bundle.namespaces == [OCINamespace(type: "pid"), OCINamespace(type: "network", path: "/proc/1/ns/net")])
        #expect(bundle.maskedPaths == ["/proc/kcore"])
        #expect(bundle.readonlyPaths == ["/proc/sys"])
        #expect(bundle.resourceDevices == [OCIDeviceRule(allow: false, access: "rwm")])
        #expect(bundle.rootfsPropagation == nil)
        #expect(bundle.hasNamespace("network"))
        #expect(!bundle.hasNamespace("user"))
    }

    @Test func setNamespaceReplacesInPlaceOrAppends() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.setNamespace(OCINamespace(type: "network"))
        bundle.setNamespace(OCINamespace(type: "user"))
        #expect(bundle.json[path: ["linux", "namespaces"]] == json(#"[{"type": "pid"}, {"type": "network"}, {"type": "user"}]"#))
        bundle.removeNamespace("pid")
        #expect(bundle.namespaces.map(\.type) == ["network", "user"])
    }

    @Test func idMappingsRoundTrip() {
        var bundle = Bundle.empty
        bundle.uidMappings = [OCIIDMapping(containerID: 0, hostID: 100_000, size: 65_536)]
        bundle.gidMappings = [OCIIDMapping(containerID: 0, hostID: 4_294_967_294, size: 1)]
        #expect(bundle.json == json("""
            {"linux": {"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                       "gidMappings": [{"containerID": 0, "hostID": 4294967294, "size": 1}]}}
            """))
        #expect(bundle.gidMappings.first?.hostID == 4_294_967_294)
        bundle.uidMappings = []
        bundle.gidMappings = []
        #expect(bundle == .empty)
    }

    @Test func mapsContainerID() {
        let mapping = OCIIDMapping(containerID: 0, hostID: 100_000, size: 65_536)
        #expect(mapping.mapsContainerID(0))
        #expect(mapping.mapsContainerID(5))
        #expect(mapping.mapsContainerID(65_535))
        #expect(!mapping.mapsContainerID(65_536))
        #expect(OCIIDMapping(containerID: UInt32.max, hostID: 0, size: 1).mapsContainerID(UInt32.max))
    }

    @Test func devicesRoundTrip() {
        var bundle = Bundle.empty
        bundle.devices = [OCIDevice(path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0)]
        bundle.resourceDevices = [OCIDeviceRule(allow: false, access: "rwm"), OCIDeviceRule(allow: true, type: "c", major: 136, access: "rwm")]
        #expect(bundle.json == json("""
            {"linux": {"devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}],
                       "resources": {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 136, "access": "rwm"}]}}}
            """))
        #expect(bundle.devices.first?.fileMode == 0o666)
        #expect(bundle.resourceDevices[1].minor == nil)
    }

    @Test func pathsAndPropagation() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.maskedPaths = ["/proc/acpi"]
        bundle.readonlyPaths = []
        bundle.rootfsPropagation = "private"
        bundle.cgroupsPath = "rundle/h"
        let linux = bundle.json["linux"]
        #expect(linux?["maskedPaths"] == ["/proc/acpi"])
        #expect(linux?["readonlyPaths"] == nil)
        #expect(linux?["rootfsPropagation"] == "private")
        #expect(linux?["cgroupsPath"] == "rundle/h")
        #expect(linux?["seccomp"] == json(#"{"defaultAction": "SCMP_ACT_ALLOW"}"#))
    }
}
