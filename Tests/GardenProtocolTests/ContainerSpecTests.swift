import GardenProtocol
import RundleJSON
import XCTest

final class ContainerSpecTests: XCTestCase {
    /// The body the Go client sends for `Create(ContainerSpec{Handle: "c1"})` (reference §3).
    let goClientCreateBody =
        #"{"handle":"c1","image":{},"limits":{"bandwidth_limits":{},"cpu_limits":{},"disk_limits":{},"memory_limits":{},"pid_limits":{}}}"#

    func testMinimalSpecEncodesExactlyAsTheGoClient() {
        XCTAssertEqual(wire(GardenContainerSpec(handle: "c1")), goClientCreateBody)
        XCTAssertEqual(GardenContainerSpec(handle: "c1").line(), bytes(goClientCreateBody + "\n"))
    }

    func testEmptySpecStillWritesImageAndEveryLimitsObject() {
        XCTAssertEqual(
            wire(GardenContainerSpec()),
            #"{"image":{},"limits":{"bandwidth_limits":{},"cpu_limits":{},"disk_limits":{},"memory_limits":{},"pid_limits":{}}}"#)
    }

    func testGoClientBodyDecodes() throws {
        let spec = try GardenContainerSpec(bytes: bytes(goClientCreateBody + "\n"))
        XCTAssertEqual(spec, GardenContainerSpec(handle: "c1"))
    }

    func testFullSpecEncodesInGoFieldOrder() {
        var spec = GardenContainerSpec(handle: "h")
        spec.graceTimeNanos = 300_000_000_000
        spec.rootfs = "/var/rootfs"
        spec.image = ImageRef(uri: "docker:///busybox#1.36", username: "u", password: "p")
        spec.bindMounts = [
            GardenBindMount(srcPath: "/src", dstPath: "/dst"),
            GardenBindMount(srcPath: "/a", dstPath: "/b", mode: .readWrite, origin: .container),
        ]
        spec.network = "10.0.0.0/24"
        spec.properties = ["z": "1", "a": "2"]
        spec.env = ["A=1", "B=2"]
        spec.privileged = true
        spec.limits = GardenLimits(
            bandwidth: BandwidthLimits(rateInBytesPerSecond: 1, burstRateInBytesPerSecond: 2),
            cpu: CPULimits(weight: 3, limitInShares: 4),
            disk: DiskLimits(inodeSoft: 5, inodeHard: 6, byteSoft: 7, byteHard: 8, scope: 1),
            memory: MemoryLimits(limitInBytes: 9), pid: PidLimits(max: 10))
        spec.netOutRules = [["protocol": 1, "log": true]]
        spec.netIn = [NetInRequest(hostPort: 0, containerPort: 8080)]
        let expected = #"{"handle":"h","grace_time":300000000000,"rootfs":"/var/rootfs","#
            + #""image":{"uri":"docker:///busybox#1.36","username":"u","password":"p"},"#
            + #""bind_mounts":[{"src_path":"/src","dst_path":"/dst"},{"src_path":"/a","dst_path":"/b","mode":1,"origin":1}],"#
            + #""network":"10.0.0.0/24","properties":{"a":"2","z":"1"},"env":["A=1","B=2"],"privileged":true,"#
            + #""limits":{"bandwidth_limits":{"rate":1,"burst":2},"cpu_limits":{"weight":3,"limit_in_shares":4},"#
            + #""disk_limits":{"inode_soft":5,"inode_hard":6,"byte_soft":7,"byte_hard":8,"scope":1},"#
            + #""memory_limits":{"limit_in_bytes":9},"pid_limits":{"max":10}},"#
            + #""netout_rules":[{"protocol":1,"log":true}],"netin":[{"host_port":0,"container_port":8080}]}"#
        XCTAssertEqual(wire(spec), expected)
        assertRoundTrip(spec)
    }

    func testKeysMatchCaseInsensitivelyAndUnknownKeysAreIgnored() throws {
        let spec = try XCTUnwrap(decode(GardenContainerSpec.self, #"""
            {"HANDLE":"c2","Grace_Time":5,"Privileged":true,"ENV":["X=1"],"Limits":{"Memory_Limits":{"LIMIT_IN_BYTES":64}},
             "Image":{"URI":"/r"},"whatever":{"nested":[1,2]},"netIN":[{"HOST_PORT":1,"container_port":2}]}
            """#))
        XCTAssertEqual(spec.handle, "c2")
        XCTAssertEqual(spec.graceTimeNanos, 5)
        XCTAssertTrue(spec.privileged)
        XCTAssertEqual(spec.env, ["X=1"])
        XCTAssertEqual(spec.limits.memory.limitInBytes, 64)
        XCTAssertEqual(spec.image.uri, "/r")
        XCTAssertEqual(spec.netIn, [NetInRequest(hostPort: 1, containerPort: 2)])
    }

    func testLastMatchingKeyWinsAsInGo() {
        XCTAssertEqual(decode(GardenContainerSpec.self, #"{"handle":"a","Handle":"b"}"#)?.handle, "b")
        XCTAssertEqual(decode(GardenContainerSpec.self, #"{"Handle":"b","handle":"a"}"#)?.handle, "a")
    }

    func testNullMeansAbsent() {
        let spec = decode(GardenContainerSpec.self, #"{"handle":null,"limits":null,"env":null,"image":null,"privileged":null}"#)
        XCTAssertEqual(spec, GardenContainerSpec())
        XCTAssertEqual(decode(GardenContainerSpec.self, "null"), GardenContainerSpec())
    }

    func testWrongTypesAreRejectedNamingTheField() {
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"privileged":"yes"}"#),
            "json: cannot unmarshal string into field ContainerSpec.privileged of type bool")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"handle":7}"#),
            "json: cannot unmarshal number into field ContainerSpec.handle of type string")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"memory_limits":{"limit_in_bytes":"1G"}}}"#),
            "json: cannot unmarshal string into field ContainerSpec.limits.memory_limits.limit_in_bytes of type uint64")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"env":["A=1",2]}"#),
            "json: cannot unmarshal number into field ContainerSpec.env of type string")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"env":"A=1"}"#),
            "json: cannot unmarshal string into field ContainerSpec.env of type []string")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"properties":{"a":1}}"#),
            "json: cannot unmarshal number into field ContainerSpec.properties of type string")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"image":"docker:///x"}"#),
            "json: cannot unmarshal string into field ContainerSpec.image of type garden.ImageRef")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"bind_mounts":[{"src_path":true}]}"#),
            "json: cannot unmarshal bool into field ContainerSpec.bind_mounts.src_path of type string")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"netout_rules":[1]}"#),
            "json: cannot unmarshal number into field ContainerSpec.netout_rules of type garden.NetOutRule")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"["handle"]"#),
            "json: cannot unmarshal array into value of type garden.ContainerSpec")
    }

    func testHugeUnsignedValuesStayExact() throws {
        let text = #"{"limits":{"memory_limits":{"limit_in_bytes":18446744073709551615},"disk_limits":{"byte_hard":9223372036854771712}}}"#
        let spec = try XCTUnwrap(decode(GardenContainerSpec.self, text))
        XCTAssertEqual(spec.limits.memory.limitInBytes, UInt64.max)
        XCTAssertEqual(spec.limits.disk.byteHard, 9_223_372_036_854_771_712)
        let out = wire(spec)
        XCTAssertTrue(out.contains(#""limit_in_bytes":18446744073709551615"#), out)
        XCTAssertTrue(out.contains(#""byte_hard":9223372036854771712"#), out)
    }

    func testOutOfRangeNegativeAndFractionalNumbersAreRejected() {
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"memory_limits":{"limit_in_bytes":18446744073709551616}}}"#),
            "json: cannot unmarshal number 18446744073709551616 into field ContainerSpec.limits.memory_limits.limit_in_bytes of type uint64")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"pid_limits":{"max":-1}}}"#),
            "json: cannot unmarshal number -1 into field ContainerSpec.limits.pid_limits.max of type uint64")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"cpu_limits":{"weight":1.5}}}"#),
            "json: cannot unmarshal number 1.5 into field ContainerSpec.limits.cpu_limits.weight of type uint64")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"cpu_limits":{"weight":1e3}}}"#),
            "json: cannot unmarshal number 1e3 into field ContainerSpec.limits.cpu_limits.weight of type uint64")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"limits":{"disk_limits":{"scope":256}}}"#),
            "json: cannot unmarshal number 256 into field ContainerSpec.limits.disk_limits.scope of type garden.DiskLimitScope")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"grace_time":9223372036854775808}"#),
            "json: cannot unmarshal number 9223372036854775808 into field ContainerSpec.grace_time of type time.Duration")
        XCTAssertEqual(
            decodingError(GardenContainerSpec.self, #"{"netin":[{"host_port":4294967296}]}"#),
            "json: cannot unmarshal number 4294967296 into field ContainerSpec.netin.host_port of type uint32")
    }

    func testBindMountModeAndOriginOutsideTheEnumsAreRejected() {
        let mode = decodingError(GardenContainerSpec.self, #"{"bind_mounts":[{"src_path":"/a","dst_path":"/b","mode":2}]}"#)
        XCTAssertEqual(mode, "invalid bind mount mode 2 in field ContainerSpec.bind_mounts.mode (0 = read-only, 1 = read-write)")
        let origin = decodingError(GardenContainerSpec.self, #"{"bind_mounts":[{"origin":7}]}"#)
        XCTAssertEqual(origin, "invalid bind mount origin 7 in field ContainerSpec.bind_mounts.origin (0 = host, 1 = container)")
    }

    func testNetOutRulesPassThroughUnchanged() throws {
        let rule = #"{"protocol":1,"networks":[{"start":"10.0.0.1","end":"10.0.0.255"}],"ports":[{"start":80,"end":443}]}"#
        let spec = try XCTUnwrap(decode(GardenContainerSpec.self, #"{"netout_rules":["# + rule + "]}"))
        XCTAssertEqual(spec.netOutRules.count, 1)
        XCTAssertEqual(spec.netOutRules[0].serialized(), rule)
    }

    func testBodyDecodingReadsTheFirstValueLikeGosDecoder() throws {
        XCTAssertEqual(try GardenContainerSpec(bytes: bytes("  \n{\"handle\":\"x\"}\n{\"handle\":\"y\"}")).handle, "x")
        XCTAssertEqual(decodingError(GardenContainerSpec.self, ""), "EOF")
        XCTAssertEqual(decodingError(GardenContainerSpec.self, " \n "), "EOF")
        XCTAssertEqual(decodingError(GardenContainerSpec.self, #"{"handle":"#), "unexpected EOF")
        XCTAssertEqual(decodingError(GardenContainerSpec.self, "hello"), "invalid character 'h' looking for beginning of value")
        let malformed = decodingError(GardenContainerSpec.self, #"{"handle" "x"}"#) ?? ""
        XCTAssertTrue(malformed.hasPrefix("malformed JSON at byte "), malformed)
    }
}
