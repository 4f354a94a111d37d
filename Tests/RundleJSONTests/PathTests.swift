import Testing
@testable import RundleJSON

@Suite struct PathTests {
    @Test func settingADeepPathCreatesObjects() {
        var value: JSON = [:]
        value[path: ["linux", "resources", "memory", "limit"]] = JSON(UInt64(9_223_372_036_854_771_712))
        #expect(value.serialized() == #"{"linux":{"resources":{"memory":{"limit":9223372036854771712}}}}"#)
        #expect(value[path: ["linux", "resources", "memory", "limit"]]?.uint64Value == 9_223_372_036_854_771_712)
        #expect(value[path: ["linux", "missing", "limit"]] == nil)

        // Through existing objects: siblings and their order are kept, the new key goes last.
        value[path: ["linux", "resources", "pids", "limit"]] = 100
        value[path: ["linux", "resources", "memory", "swap"]] = -1
        #expect(value.serialized() == #"{"linux":{"resources":{"memory":{"limit":9223372036854771712,"swap":-1},"pids":{"limit":100}}}}"#)

        // A non-object on the way becomes an object.
        value[path: ["linux", "resources", "pids", "limit", "soft"]] = 5
        #expect(value[path: ["linux", "resources", "pids"]] == ["limit": ["soft": 5]])
    }

    @Test func settingAnExistingKeyKeepsItsPosition() throws {
        var value = try JSON.parse(#"{"a":1,"b":2,"c":3}"#)
        value["b"] = "x"
        #expect(value.serialized() == #"{"a":1,"b":"x","c":3}"#)
        value["d"] = true
        #expect(value.serialized() == #"{"a":1,"b":"x","c":3,"d":true}"#)

        var config = try JSON.parse(realisticConfigJSON)
        let keys = config.objectValue?.keys
        config["hostname"] = "renamed"
        config[path: ["process", "cwd"]] = "/"
        #expect(config.objectValue?.keys == keys)
        #expect(config["process"]?.objectValue?.keys.firstIndex(of: "cwd") == 4)
    }

    @Test func nilRemoves() throws {
        var value = try JSON.parse(#"{"a":1,"b":{"c":2,"d":3},"e":4}"#)
        value["a"] = nil
        #expect(value.serialized() == #"{"b":{"c":2,"d":3},"e":4}"#)
        value[path: ["b", "c"]] = nil
        #expect(value.serialized() == #"{"b":{"d":3},"e":4}"#)
        value[path: ["b", "d"]] = nil
        #expect(value.serialized() == #"{"b":{},"e":4}"#)
        value["missing"] = nil
        #expect(value.serialized() == #"{"b":{},"e":4}"#)
        // Setting .null is a value, not a removal.
        value["e"] = .null
        #expect(value.serialized() == #"{"b":{},"e":null}"#)
    }

    @Test func typedAccessors() throws {
        let value = try JSON.parse(#"{"s":"x","b":true,"i":-7,"d":2.5,"a":["p","q"],"m":[1,"p"],"n":null}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["i"]?.int64Value == -7)
        #expect(value["i"]?.uint64Value == nil)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["a"]?.stringArrayValue == ["p", "q"])
        #expect(value["m"]?.stringArrayValue == nil)
        #expect(value["n"]?.isNull == true)
        #expect(value["s"]?["x"] == nil)
    }
}
