import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct OCIMountTests {
    @Test func readsMountsAndKeepsUnmodelledMembers() {
        let bundle = Bundle(json: json(sampleConfigText))
        #expect(bundle.mounts == [
            OCIMount(destination: "/proc", type: "proc", source: "proc"),
            OCIMount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"],
                     extra: JSONObject([("x-vendor", 7)])),
        ])
    }

    @Test func writingBackKeepsEveryMember() {
        let original = Bundle(json: json(sampleConfigText))
        var bundle = original
        bundle.mounts = bundle.mounts
        #expect(bundle == original)
    }

    @Test func appendWritesTheOCIShape() {
        var bundle = Bundle.empty
        bundle.mounts = [OCIMount(destination: "/data", type: "bind", source: "/srv/data", options: ["rbind", "ro"])]
        #expect(bundle.json == json(#"{"mounts": [{"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"]}]}"#))
    }

    @Test func malformedEntriesAreSkipped() {
        let bundle = Bundle(json: json(#"{"mounts": [{"type": "tmpfs"}, 3, {"destination": "/x", "options": "ro"}, {"destination": "/ok"}]}"#))
        #expect(bundle.mounts == [OCIMount(destination: "/ok")])
    }

    @Test func namespaceAndRlimitDecoding() {
        #expect(OCINamespace(json: json(#"{"type": "user", "path": 1}"#)) == nil)
        #expect(OCINamespace(json: json(#"{"type": "user"}"#)) == OCINamespace(type: "user"))
        #expect(OCIRlimit(json: json(#"{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1}"#))?.hard == UInt64.max)
        #expect(OCIRlimit(json: json(#"{"type": "RLIMIT_NOFILE", "hard": -1, "soft": 1}"#)) == nil)
    }
}
