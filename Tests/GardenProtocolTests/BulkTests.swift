import GardenProtocol
import RundleJSON
import XCTest

final class BulkTests: XCTestCase {
    func testBulkInfoWritesZeroInfoAndErrorForFailures() {
        let info = GardenContainerInfo(state: "active", containerPath: "/d/a")
        let json = GardenBulk.bulkInfoJSON([
            ("b", InfoEntry(error: GardenError.generic("unknown handle: b"))),
            ("a", InfoEntry(info: info)),
        ])
        XCTAssertEqual(
            json.serialized(),
            #"{"a":{"Info":"# + info.json().serialized() + #","Err":null},"#
                + #""b":{"Info":{"State":"","Events":null,"HostIP":"","ContainerIP":"","ContainerIPv6":"","ExternalIP":"","ContainerPath":"","ProcessIDs":null,"Properties":null,"MappedPorts":null},"#
                + #""Err":{"Type":"","Message":"unknown handle: b","Handle":"","ProcessID":"","Binary":""}}}"#)
    }

    func testBulkInfoDecodes() throws {
        let entries = [
            ("a", InfoEntry(info: GardenContainerInfo(state: "stopped", properties: ["k": "v"]))),
            ("b", InfoEntry(error: GardenError.containerNotFound("b"))),
        ]
        let decoded = try GardenBulk.decodeBulkInfo(JSON.parse(GardenBulk.bulkInfoJSON(entries).serializedBytes()))
        XCTAssertEqual(decoded, ["a": entries[0].1, "b": entries[1].1])
        XCTAssertEqual(try GardenBulk.decodeBulkInfo(JSON.parse("{}")), [:])
        XCTAssertThrowsError(try GardenBulk.decodeBulkInfo(JSON.parse("[]")))
    }

    func testBulkMetricsRoundTrip() throws {
        let metrics = GardenMetrics(cpuUsage: 5, pidCurrent: 2, ageNanos: UInt64(Int64.max))
        let entries = [("m", MetricsEntry(metrics: metrics)), ("x", MetricsEntry(error: .generic("gone")))]
        let json = GardenBulk.bulkMetricsJSON(entries)
        XCTAssertEqual(json["m"]?["Err"], .null)
        XCTAssertEqual(json["x"]?["Metrics"], GardenMetrics().json())
        XCTAssertEqual(json["x"]?["Err"]?["Message"], "gone")
        let decoded = try GardenBulk.decodeBulkMetrics(JSON.parse(json.serializedBytes()))
        XCTAssertEqual(decoded, ["m": entries[0].1, "x": entries[1].1])
    }

    func testHandlesQueryValue() {
        XCTAssertEqual(GardenBulk.handles(fromQueryValue: "a,b"), ["a", "b"])
        XCTAssertEqual(GardenBulk.handles(fromQueryValue: ""), [])
        XCTAssertEqual(GardenBulk.handles(fromQueryValue: nil), [])
        XCTAssertEqual(GardenBulk.handles(fromQueryValue: "a,,b"), ["a", "", "b"])
    }
}
