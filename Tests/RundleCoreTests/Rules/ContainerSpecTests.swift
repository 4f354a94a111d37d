import Testing
import RundleJSON
@testable import RundleOCI
@testable import RundleCore

@Suite struct ContainerSpecTests {
    static let full = ContainerSpec(
        handle: "h1", rootfs: "/rootfs", env: ["A=1"],
        bindMounts: [BindMount(source: "/s", destination: "/d", readOnly: true)],
        limits: ResourceLimits(memoryBytes: 9_223_372_036_854_771_712, cpuShares: UInt64.max, cpuQuota: 1, cpuPeriod: 2, pids: 3),
        privileged: true, rlimits: [Rlimit(type: "RLIMIT_NOFILE", soft: 1, hard: 2)],
        properties: [Property(key: "b", value: "1"), Property(key: "a", value: "2")])

    @Test func roundTripsThroughJSONText() throws {
        let text = Self.full.json().serialized()
        #expect(text == #"{"handle":"h1","rootfs":"/rootfs","privileged":true,"env":["A=1"],"#
            + #""bindMounts":[{"source":"/s","destination":"/d","readOnly":true}],"#
            + #""limits":{"memoryBytes":9223372036854771712,"cpuShares":18446744073709551615,"cpuQuota":1,"cpuPeriod":2,"pids":3},"#
            + #""rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":2}],"properties":{"b":"1","a":"2"}}"#)
        #expect(try ContainerSpec(json: try JSON.parse(text)) == Self.full)
    }

    @Test func minimalSpec() throws {
        let spec = ContainerSpec(handle: "h", rootfs: "/r")
        #expect(spec.json() == json(#"{"handle": "h", "rootfs": "/r", "privileged": false}"#))
        #expect(try ContainerSpec(json: json(#"{"handle": "h", "rootfs": "/r"}"#)) == spec)
    }

    @Test(arguments: [
        #"{"rootfs": "/r"}"#,
        #"{"handle": "h"}"#,
        #"{"handle": "h", "rootfs": "/r", "env": "A=1"}"#,
        #"{"handle": "h", "rootfs": "/r", "limits": {"memoryBytes": 1.5}}"#,
        #"{"handle": "h", "rootfs": "/r", "limits": {"cpuShares": -1}}"#,
        #"{"handle": "h", "rootfs": "/r", "bindMounts": [{"source": "/s"}]}"#,
        #"{"handle": "h", "rootfs": "/r", "properties": {"a": 1}}"#,
        #"[]"#,
    ])
    func malformedSpecsAreInvalid(_ text: String) {
        do {
            _ = try ContainerSpec(json: json(text))
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func properties() {
        var spec = ContainerSpec(handle: "h", rootfs: "/r")
        spec.setProperty("a", "1")
        spec.setProperty("b", "2")
        spec.setProperty("a", "3")
        #expect(spec.properties == [Property(key: "a", value: "3"), Property(key: "b", value: "2")])
        #expect(spec.property("a") == "3")
        let removed = spec.removeProperty("a")
        let removedAgain = spec.removeProperty("a")
        #expect(removed)
        #expect(!removedAgain)
        #expect(spec.property("a") == nil)
    }
}
