import GardenProtocol
import RundleJSON
import XCTest

final class ResponseBodyTests: XCTestCase {
    func testCapacityExample() throws {
        let text = #"{"memory_in_bytes":8363016192,"disk_in_bytes":105089261568,"schedulable_disk_in_bytes":99000000000,"max_containers":250}"#
        let capacity = try XCTUnwrap(decode(GardenCapacity.self, text))
        XCTAssertEqual(capacity, GardenCapacity(memoryInBytes: 8_363_016_192, diskInBytes: 105_089_261_568, schedulableDiskInBytes: 99_000_000_000, maxContainers: 250))
        XCTAssertEqual(wire(capacity), text)
        XCTAssertEqual(wire(GardenCapacity(memoryInBytes: 1)), #"{"memory_in_bytes":1}"#)
    }

    func testContainerInfoExample() throws {
        let text = #"""
            {"State":"active","Events":["Out of memory"],"HostIP":"10.254.0.1","ContainerIP":"10.254.0.2",
             "ContainerIPv6":"","ExternalIP":"10.0.2.15","ContainerPath":"/var/run/gdn/depot/c1",
             "ProcessIDs":null,"Properties":{"foo":"bar"},"MappedPorts":[{"HostPort":61001,"ContainerPort":8080}]}
            """#
        let info = try XCTUnwrap(decode(GardenContainerInfo.self, text))
        XCTAssertEqual(info, GardenContainerInfo(
            state: "active", events: ["Out of memory"], hostIP: "10.254.0.1", containerIP: "10.254.0.2",
            externalIP: "10.0.2.15", containerPath: "/var/run/gdn/depot/c1", properties: ["foo": "bar"],
            mappedPorts: [PortMapping(hostPort: 61001, containerPort: 8080)]))
        XCTAssertEqual(
            wire(info),
            #"{"State":"active","Events":["Out of memory"],"HostIP":"10.254.0.1","ContainerIP":"10.254.0.2","ContainerIPv6":"","ExternalIP":"10.0.2.15","ContainerPath":"/var/run/gdn/depot/c1","ProcessIDs":[],"Properties":{"foo":"bar"},"MappedPorts":[{"HostPort":61001,"ContainerPort":8080}]}"#)
        assertRoundTrip(info)
    }

    func testEmptyInfoWritesEveryKey() {
        XCTAssertEqual(
            wire(GardenContainerInfo(state: "stopped")),
            #"{"State":"stopped","Events":[],"HostIP":"","ContainerIP":"","ContainerIPv6":"","ExternalIP":"","ContainerPath":"","ProcessIDs":[],"Properties":{},"MappedPorts":[]}"#)
    }

    func testMetricsExampleAndHugeValues() throws {
        let text = #"""
            {"MemoryStat":{"cache":1,"TotalUsageTowardLimit":9223372036854771712,"swapcached":0},
             "CPUStat":{"Usage":123456789,"User":100000000,"System":23456789},
             "DiskStat":{"TotalBytesUsed":0,"TotalInodesUsed":0,"ExclusiveBytesUsed":0,"ExclusiveInodesUsed":0},
             "NetworkStat":{"RxBytes":0,"TxBytes":0},"PidStat":{"Current":3,"Max":0},
             "Age":5000000000,"CPUEntitlement":18446744073709551615}
            """#
        let metrics = try XCTUnwrap(decode(GardenMetrics.self, text))
        XCTAssertEqual(metrics.cpuUsage, 123_456_789)
        XCTAssertEqual(metrics.cpuUser, 100_000_000)
        XCTAssertEqual(metrics.cpuSystem, 23_456_789)
        XCTAssertEqual(metrics.pidCurrent, 3)
        XCTAssertEqual(metrics.pidMax, 0)
        XCTAssertEqual(metrics.ageNanos, 5_000_000_000)
        XCTAssertEqual(metrics.cpuEntitlement, UInt64.max)
        XCTAssertEqual(metrics.memoryStatValue("TotalUsageTowardLimit"), 9_223_372_036_854_771_712)
        XCTAssertEqual(metrics.networkStat, ["RxBytes": 0, "TxBytes": 0])
        let out = wire(metrics)
        XCTAssertEqual(
            out,
            #"{"MemoryStat":{"cache":1,"TotalUsageTowardLimit":9223372036854771712,"swapcached":0},"CPUStat":{"Usage":123456789,"User":100000000,"System":23456789},"DiskStat":{"TotalBytesUsed":0,"TotalInodesUsed":0,"ExclusiveBytesUsed":0,"ExclusiveInodesUsed":0},"NetworkStat":{"RxBytes":0,"TxBytes":0},"PidStat":{"Current":3,"Max":0},"Age":5000000000,"CPUEntitlement":18446744073709551615}"#)
        assertRoundTrip(metrics)
    }

    func testZeroMetricsLookLikeGosZeroValue() throws {
        let zero = GardenMetrics().json()
        XCTAssertEqual(zero["MemoryStat"]?.objectValue?.keys, GardenMetrics.memoryStatKeys)
        XCTAssertEqual(zero["MemoryStat"]?["TotalUsageTowardLimit"], 0)
        XCTAssertEqual(zero["NetworkStat"], .null)
        XCTAssertEqual(zero["PidStat"], ["Current": 0, "Max": 0])
        XCTAssertEqual(zero["Age"], 0)
        assertRoundTrip(GardenMetrics())
        XCTAssertEqual(
            decodingError(GardenMetrics.self, #"{"MemoryStat":[1]}"#),
            "json: cannot unmarshal array into field Metrics.MemoryStat of type garden.ContainerMemoryStat")
        XCTAssertEqual(
            decodingError(GardenMetrics.self, #"{"PidStat":{"Current":-3}}"#),
            "json: cannot unmarshal number -3 into field Metrics.PidStat.Current of type uint64")
    }

    func testLimitResponsesOmitZeroFields() {
        XCTAssertEqual(wire(MemoryLimits()), "{}")
        XCTAssertEqual(wire(MemoryLimits(limitInBytes: 67_108_864)), #"{"limit_in_bytes":67108864}"#)
        XCTAssertEqual(wire(CPULimits(limitInShares: 39)), #"{"limit_in_shares":39}"#)
        XCTAssertEqual(wire(DiskLimits()), "{}")
        XCTAssertEqual(wire(BandwidthLimits(burstRateInBytesPerSecond: 5)), #"{"burst":5}"#)
        XCTAssertEqual(wire(PidLimits(max: 128)), #"{"max":128}"#)
        assertRoundTrip(DiskLimits(inodeSoft: 1, inodeHard: 2, byteSoft: 3, byteHard: UInt64.max, scope: 1))
        assertRoundTrip(BandwidthLimits(rateInBytesPerSecond: 7, burstRateInBytesPerSecond: 8))
        assertRoundTrip(CPULimits(weight: 100, limitInShares: 1024))
        assertRoundTrip(PidLimits(max: 1))
        assertRoundTrip(GardenLimits(memory: MemoryLimits(limitInBytes: 1)))
        assertRoundTrip(ProcessLimits(cpu: CPULimits(weight: 1)))
    }

    func testNetInBodies() throws {
        let request = try XCTUnwrap(decode(NetInRequest.self, #"{"handle":"h","host_port":0,"container_port":8080}"#))
        XCTAssertEqual(request, NetInRequest(handle: "h", hostPort: 0, containerPort: 8080))
        XCTAssertEqual(wire(request), #"{"handle":"h","container_port":8080}"#)
        let response = NetInResponse(hostPort: 61001, containerPort: 8080)
        XCTAssertEqual(wire(response), #"{"host_port":61001,"container_port":8080}"#)
        assertRoundTrip(response)
        assertRoundTrip(NetInRequest(handle: "x", hostPort: UInt32.max, containerPort: 1))
    }

    func testSmallBodies() throws {
        XCTAssertEqual(wire(GardenList(handles: [])), #"{"Handles":[]}"#)
        XCTAssertEqual(wire(GardenList(handles: ["a", "b"])), #"{"Handles":["a","b"]}"#)
        XCTAssertEqual(decode(GardenList.self, #"{"handles":["x"]}"#), GardenList(handles: ["x"]))
        XCTAssertEqual(GardenCreateResponse(handle: "c1").line(), bytes("{\"Handle\":\"c1\"}\n"))
        XCTAssertEqual(decode(GardenCreateResponse.self, #"{"handle":"c1"}"#)?.handle, "c1")
        XCTAssertEqual(wire(GardenStopRequest(kill: false)), #"{"kill":false}"#)
        XCTAssertEqual(decode(GardenStopRequest.self, #"{"kill":true}"#)?.kill, true)
        XCTAssertEqual(decode(GardenStopRequest.self, "{}")?.kill, false)
        XCTAssertEqual(
            decodingError(GardenStopRequest.self, #"{"kill":"yes"}"#),
            "json: cannot unmarshal string into field StopRequest.kill of type bool")
        XCTAssertEqual(wire(GardenPropertyValue(value: "bar")), #"{"value":"bar"}"#)
        XCTAssertEqual(decode(GardenPropertyValue.self, #"{"Value":"baz"}"#)?.value, "baz")
        XCTAssertEqual(wire(GardenProperties(["b": "2", "a": "1", "garden.state": "created"])), #"{"a":"1","b":"2","garden.state":"created"}"#)
        XCTAssertEqual(decode(GardenProperties.self, #"{"k":"v"}"#)?.properties, ["k": "v"])
        XCTAssertEqual(wire(GardenProperties([:])), "{}")
        XCTAssertEqual(GardenBodies.empty.serialized(), "{}")
        XCTAssertEqual(GardenBodies.emptyLine, bytes("{}\n"))
    }

    func testGraceTimeIsABareNanosecondInteger() throws {
        XCTAssertEqual(try GardenGraceTime(bytes: bytes("500000000\n")).nanoseconds, 500_000_000)
        XCTAssertEqual(try GardenGraceTime(bytes: bytes("300000000000")).nanoseconds, 300_000_000_000)
        XCTAssertEqual(GardenGraceTime(nanoseconds: 500_000_000).line(), bytes("500000000\n"))
        XCTAssertEqual(
            decodingError(GardenGraceTime.self, "-1"),
            "json: cannot unmarshal number -1 into value of type time.Duration")
        XCTAssertEqual(
            decodingError(GardenGraceTime.self, #""5s""#),
            "json: cannot unmarshal string into value of type time.Duration")
    }
}
