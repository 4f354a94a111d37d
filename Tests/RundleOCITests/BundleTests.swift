import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct BundleTests {
    @Test func emptyBundleIsAnEmptyObject() {
        #expect(Bundle.empty.json == .object(JSONObject()))
        #expect(Bundle.empty.ociVersion == nil)
        #expect(Bundle.empty.rootReadonly == false)
        #expect(Bundle.empty.mounts.isEmpty)
        #expect(Bundle.empty.memoryLimit == nil)
    }

    @Test func readsTheModelledTopLevelFields() {
        let bundle = Bundle(json: json(sampleConfigText))
        #expect(bundle.ociVersion == "1.0.2")
        #expect(bundle.rootPath == "rootfs")
        #expect(bundle.rootReadonly == true)
        #expect(bundle.hostname == "runc")
    }

    @Test func settingAFieldChangesOnlyThatField() {
        let original = Bundle(json: json(sampleConfigText))
        var bundle = original
        bundle.hostname = "other"
        var expected = original.json
        expected["hostname"] = "other"
        #expect(bundle.json == expected)
        // Key order is kept: hostname stays where it was.
        #expect(bundle.json.objectValue?.keys == original.json.objectValue?.keys)
        #expect(bundle.json["annotations"] == json(#"{"x": "y"}"#))
        #expect(bundle.json["org.custom"] == 1)
    }

    @Test func writingBackWhatWasReadChangesNothing() {
        let original = Bundle(json: json(sampleConfigText))
        var bundle = original
        bundle.ociVersion = bundle.ociVersion
        bundle.rootPath = bundle.rootPath
        bundle.rootReadonly = bundle.rootReadonly
        bundle.hostname = bundle.hostname
        bundle.namespaces = bundle.namespaces
        bundle.maskedPaths = bundle.maskedPaths
        bundle.readonlyPaths = bundle.readonlyPaths
        bundle.resourceDevices = bundle.resourceDevices
        bundle.processArgs = bundle.processArgs
        bundle.processEnv = bundle.processEnv
        bundle.processRlimits = bundle.processRlimits
        bundle.processNoNewPrivileges = bundle.processNoNewPrivileges
        bundle.processTerminal = bundle.processTerminal
        bundle.memoryLimit = bundle.memoryLimit
        bundle.cgroupsPath = bundle.cgroupsPath
        bundle.uidMappings = bundle.uidMappings
        #expect(bundle == original)
    }

    @Test func nilRemovesTheKey() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.hostname = nil
        bundle.ociVersion = nil
        #expect(bundle.json["hostname"] == nil)
        #expect(bundle.json["ociVersion"] == nil)
        #expect(bundle.json["annotations"] != nil)
    }

    @Test func removingAnAbsentFieldAddsNothing() {
        var bundle = Bundle.empty
        bundle.cgroupsPath = nil
        bundle.memoryLimit = nil
        bundle.mounts = []
        bundle.processArgs = []
        bundle.processCapabilities = nil
        #expect(bundle == .empty)
    }

    @Test func settingCreatesTheObjectsOnTheWay() {
        var bundle = Bundle.empty
        bundle.rootPath = "/r"
        bundle.rootReadonly = false
        bundle.cgroupsPath = "rundle/h"
        #expect(bundle.json == json(#"{"root": {"path": "/r", "readonly": false}, "linux": {"cgroupsPath": "rundle/h"}}"#))
    }

    @Test func rootReadonlyFalseIsWrittenExplicitly() {
        var bundle = Bundle.empty
        bundle.rootReadonly = false
        #expect(bundle.json[path: ["root", "readonly"]] == false)
    }
}
