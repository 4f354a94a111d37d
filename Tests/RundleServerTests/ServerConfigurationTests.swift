import XCTest
@testable import RundleServer

final class ServerConfigurationTests: XCTestCase {
    func testListenAddresses() throws {
        XCTAssertEqual(try ListenAddress(parsing: "unix:///run/rundle/garden.sock"), .unix(path: "/run/rundle/garden.sock"))
        XCTAssertEqual(try ListenAddress(parsing: "/tmp/g.sock"), .unix(path: "/tmp/g.sock"))
        XCTAssertEqual(try ListenAddress(parsing: "tcp://127.0.0.1:7777"), .tcp(host: "127.0.0.1", port: 7777))
        XCTAssertEqual(try ListenAddress(parsing: "tcp://:7777"), .tcp(host: "127.0.0.1", port: 7777))
        XCTAssertEqual(try ListenAddress(parsing: "tcp://[::1]:80"), .tcp(host: "::1", port: 80))
        XCTAssertEqual(ListenAddress.tcp(host: "::1", port: 80).description, "tcp://[::1]:80")
        for bad in ["unix://relative", "tcp://host", "tcp://h:99999", "tcp://h:x", "http://x:1", ""] {
            XCTAssertThrowsError(try ListenAddress(parsing: bad), bad)
        }
    }

    func testGoDurations() {
        XCTAssertEqual(GoDuration.parse("0"), 0)
        XCTAssertEqual(GoDuration.parse("5m"), 300_000_000_000)
        XCTAssertEqual(GoDuration.parse("500ms"), 500_000_000)
        XCTAssertEqual(GoDuration.parse("1h30m"), 5_400_000_000_000)
        XCTAssertEqual(GoDuration.parse("1.5s"), 1_500_000_000)
        XCTAssertEqual(GoDuration.parse("10us"), 10_000)
        for bad in ["", "5", "5x", "m", "-1s", "1s2"] { XCTAssertNil(GoDuration.parse(bad), bad) }
    }

    func testHTTPDateLooksLikeGo() {
        let date = HTTPDate.now()
        // "Mon, 02 Jan 2006 15:04:05 GMT"
        XCTAssertEqual(date.count, 29, date)
        XCTAssertTrue(date.hasSuffix(" GMT"), date)
        XCTAssertEqual(Array(date)[3], ",")
    }

    func testHijackHeadNeverSaysClose() {
        let run = String(decoding: GardenHTTPHandler.hijackHead(status: 201, json: true), as: UTF8.self)
        XCTAssertTrue(run.hasPrefix("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nDate: "), run)
        XCTAssertTrue(run.hasSuffix("Transfer-Encoding: chunked\r\n\r\n"), run)
        XCTAssertFalse(run.lowercased().contains("connection"))
        let output = String(decoding: GardenHTTPHandler.hijackHead(status: 200, json: false), as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("HTTP/1.1 200 OK\r\nDate: "), output)
        XCTAssertFalse(output.contains("Content-Type"))
    }

    func testSplitURI() {
        XCTAssertEqual(GardenHTTPHandler.splitURI("/containers?a=b").path, "/containers")
        XCTAssertEqual(GardenHTTPHandler.splitURI("/containers?a=b").query, "a=b")
        XCTAssertEqual(GardenHTTPHandler.splitURI("/ping").query, "")
    }
}
