import GardenProtocol
import RundleJSON
import XCTest

final class ProcessSpecTests: XCTestCase {
    func testRunBodyOfTheReferenceExampleIs54Bytes() {
        // §5.6: `Run` of `echo hi` is sent with Content-Length: 54.
        let body = GardenProcessSpec(path: "echo", args: ["hi"]).line()
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "{\"path\":\"echo\",\"args\":[\"hi\"],\"rlimits\":{},\"image\":{}}\n")
        XCTAssertEqual(body.count, 54)
    }

    func testTTYExampleEncodesAsTheGoClient() {
        var spec = GardenProcessSpec(path: "sh", args: ["-c", "env"])
        spec.env = ["TEST=hello"]
        spec.user = "alice"
        spec.rlimits = ["nofile": 1024]
        spec.tty = TTYSpec(windowSize: WindowSize(columns: 80, rows: 24))
        XCTAssertEqual(
            wire(spec),
            #"{"path":"sh","args":["-c","env"],"env":["TEST=hello"],"user":"alice","rlimits":{"nofile":1024},"tty":{"window_size":{"columns":80,"rows":24}},"image":{}}"#)
        assertRoundTrip(spec)
    }

    func testEveryFieldRoundTripsInGoOrder() {
        var spec = GardenProcessSpec(path: "/bin/app", args: ["a"])
        spec.id = "p1"
        spec.dir = "/tmp"
        spec.rlimits = Dictionary(uniqueKeysWithValues: GardenProcessSpec.rlimitNames.enumerated().map { ($1, UInt64($0)) })
        spec.limits = ProcessLimits(cpu: CPULimits(weight: 5), memory: MemoryLimits(limitInBytes: 6))
        spec.tty = TTYSpec()
        spec.image = ImageRef(uri: "docker:///alpine")
        spec.bindMounts = [GardenBindMount(srcPath: "/s", dstPath: "/d", mode: .readWrite)]
        let text = wire(spec)
        XCTAssertTrue(
            text.hasPrefix(#"{"id":"p1","path":"/bin/app","args":["a"],"dir":"/tmp","rlimits":{"as":0,"core":1,"cpu":2,"#),
            "rlimits set to 0 are still written (they are pointers in Go): \(text)")
        XCTAssertTrue(
            text.hasSuffix(#""sigpending":13,"stack":14},"limits":{"cpu_limits":{"weight":5},"memory_limits":{"limit_in_bytes":6}},"tty":{},"image":{"uri":"docker:///alpine"},"bind_mounts":[{"src_path":"/s","dst_path":"/d","mode":1}]}"#),
            text)
        assertRoundTrip(spec)
    }

    func testTTYPresenceIsKeptEvenWhenEmpty() throws {
        XCTAssertEqual(try GardenProcessSpec(bytes: bytes(#"{"path":"sh","tty":{}}"#)).tty, TTYSpec())
        XCTAssertNil(try GardenProcessSpec(bytes: bytes(#"{"path":"sh"}"#)).tty)
        XCTAssertNil(try GardenProcessSpec(bytes: bytes(#"{"path":"sh","tty":null}"#)).tty)
        XCTAssertEqual(
            try GardenProcessSpec(bytes: bytes(#"{"path":"sh","TTY":{"Window_Size":{"Columns":100}}}"#)).tty,
            TTYSpec(windowSize: WindowSize(columns: 100, rows: 0)))
    }

    func testUnknownRlimitsAreIgnoredAndKnownOnesMatchAnyCase() throws {
        let spec = try GardenProcessSpec(bytes: bytes(#"{"path":"x","rlimits":{"NOFILE":10,"bogus":5,"Stack":18446744073709551615}}"#))
        XCTAssertEqual(spec.rlimits, ["nofile": 10, "stack": UInt64.max])
        var withUnknown = GardenProcessSpec(path: "x")
        withUnknown.rlimits = ["bogus": 1, "nproc": 2]
        XCTAssertEqual(wire(withUnknown), #"{"path":"x","rlimits":{"nproc":2},"image":{}}"#)
    }

    func testWrongTypesNameTheField() {
        XCTAssertEqual(
            decodingError(GardenProcessSpec.self, #"{"path":"x","args":"a b"}"#),
            "json: cannot unmarshal string into field ProcessSpec.args of type []string")
        XCTAssertEqual(
            decodingError(GardenProcessSpec.self, #"{"rlimits":{"nofile":-1}}"#),
            "json: cannot unmarshal number -1 into field ProcessSpec.rlimits.nofile of type uint64")
        XCTAssertEqual(
            decodingError(GardenProcessSpec.self, #"{"tty":{"window_size":{"rows":70000}}}"#),
            "json: cannot unmarshal number 70000 into field ProcessSpec.tty.window_size.rows of type uint16")
        XCTAssertEqual(
            decodingError(GardenProcessSpec.self, #"{"tty":true}"#),
            "json: cannot unmarshal bool into field ProcessSpec.tty of type garden.TTYSpec")
    }
}
