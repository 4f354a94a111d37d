import Foundation
import Testing
@testable import RundleJSON

@Suite struct RoundTripTests {
    @Test func embeddedConfigRoundTripsWithKeyOrderAndUnknownFields() throws {
        let config = try JSON.parse(realisticConfigJSON)
        let compact = config.serialized()
        let again = try JSON.parse(compact)
        #expect(again == config)
        #expect(again.serialized() == compact)

        // Compact output is the input minus insignificant whitespace: same key order, same
        // number literals, same escapes (yajl writes the one \u00e9 escape as the character).
        let expected = minified(realisticConfigJSON).replacingOccurrences(of: #"\u00e9"#, with: "é")
        #expect(compact == expected)

        #expect(config.objectValue?.keys == [
            "ociVersion", "process", "root", "hostname", "mounts", "hooks", "annotations", "linux", "x-rundle",
        ])
        #expect(config[path: ["process", "capabilities"]]?.objectValue?.keys == [
            "bounding", "effective", "permitted", "inheritable", "ambient",
        ])
        #expect(config[path: ["linux", "resources", "memory", "limit"]]?.int64Value == 9_223_372_036_854_771_712)
        #expect(config[path: ["process", "rlimits"]]?.arrayValue?[1]["hard"]?.uint64Value == UInt64.max)
        #expect(config[path: ["linux", "seccomp", "syscalls"]]?.arrayValue?[1]["args"]?.arrayValue?[0]["value"]?.int64Value == 4_294_967_295)
        #expect(config["process"]?["args"]?.stringArrayValue?[2] == "--greeting=héllo \"world\"\tand\\more")
        #expect(config["process"]?["env"]?.stringArrayValue?.last == "GREETING=café 😀")
        // Fields no OCI type knows about survive untouched.
        #expect(config["x-rundle"] == ["schema": 3, "ratio": .number(JSONNumber(literal: "0.75")),
                                       "tiny": .number(JSONNumber(literal: "1.5e-7")), "nothing": nil,
                                       "empty": [:], "none": []])
        #expect(compact.contains(#""x-rundle":{"schema":3,"ratio":0.75,"tiny":1.5e-7,"nothing":null,"empty":{},"none":[]}"#))
        #expect(compact.contains(#""limit":9223372036854771712"#))
        #expect(compact.contains(#""hard":18446744073709551615"#))

        // Pretty output parses back to the same value too.
        #expect(try JSON.parse(config.serializedBytes(pretty: true)) == config)
    }

    @Test func editingOneFieldChangesOnlyThatField() throws {
        var config = try JSON.parse(realisticConfigJSON)
        config[path: ["process", "terminal"]] = true
        let expected = minified(realisticConfigJSON)
            .replacingOccurrences(of: #"\u00e9"#, with: "é")
            .replacingOccurrences(of: #""terminal":false"#, with: #""terminal":true"#)
        #expect(config.serialized() == expected)
    }

    @Test(.enabled(if: runcPath() != nil, "runc is not on PATH"))
    func runcSpecRoundTrips() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rundle-json-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(runcPath()))
        process.arguments = ["spec"]
        process.currentDirectoryURL = directory
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let data = try Data(contentsOf: directory.appendingPathComponent("config.json"))
        let text = String(decoding: data, as: UTF8.self)
        let config = try JSON.parse([UInt8](data))
        #expect(config["ociVersion"]?.stringValue != nil)
        #expect(config[path: ["root", "path"]]?.stringValue == "rootfs")
        let compact = config.serialized()
        #expect(compact == minified(text))  // same keys in the same order, same literals
        #expect(try JSON.parse(compact) == config)
    }
}

private func runcPath() -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/runc"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
