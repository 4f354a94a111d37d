import GardenProtocol
import XCTest

final class RouterTests: XCTestCase {
    let params = ["handle": "h1", "pid": "p-1", "streamid": "7", "key": "garden.state"]

    func testThereAre28RoutesAsInRoutesGo() {
        XCTAssertEqual(GardenRoute.allCases.count, 28)
        XCTAssertEqual(Set(GardenRoute.allCases.map { "\($0.method) \($0.template)" }).count, 28)
        XCTAssertEqual(GardenRoute.stdout.template, "/containers/:handle/processes/:pid/attaches/:streamid/stdout")
        XCTAssertEqual(GardenRoute.run.method, "POST")
        XCTAssertEqual(GardenRoute.setGraceTime.method, "PUT")
        XCTAssertEqual(GardenRoute.removeProperty.method, "DELETE")
        XCTAssertEqual(GardenRoute.streamOut.method, "GET")
    }

    func testEveryRouteMatchesItsOwnPath() {
        for route in GardenRoute.allCases {
            let path = route.path(params)
            let expected = params.filter { route.template.contains(":" + $0.key) }
            XCTAssertEqual(GardenRouter.match(method: route.method, path: path), .matched(route, params: expected), "\(route) \(path)")
        }
    }

    func testPathsAreBuiltFromTheTemplate() {
        XCTAssertEqual(GardenRoute.stderr.path(params), "/containers/h1/processes/p-1/attaches/7/stderr")
        XCTAssertEqual(GardenRoute.property.path(params), "/containers/h1/properties/garden.state")
        XCTAssertEqual(GardenRoute.ping.path([:]), "/ping")
        XCTAssertEqual(GardenRoute.bulkInfo.path(params), "/containers/bulk_info")
    }

    func testBulkRoutesWinOnlyForGet() {
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/bulk_info"), .matched(.bulkInfo, params: [:]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/bulk_metrics"), .matched(.bulkMetrics, params: [:]))
        XCTAssertEqual(GardenRouter.match(method: "DELETE", path: "/containers/bulk_info"), .matched(.destroy, params: ["handle": "bulk_info"]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/bulk_info/info"), .matched(.info, params: ["handle": "bulk_info"]))
        XCTAssertEqual(GardenRouter.match(method: "PUT", path: "/containers/bulk_info"), .methodNotAllowed(allowed: ["DELETE", "GET"]))
    }

    func testWrongMethodIs405WithTheAllowedMethods() {
        XCTAssertEqual(GardenRouter.match(method: "PUT", path: "/containers/h/limits/memory"), .methodNotAllowed(allowed: ["GET"]))
        XCTAssertEqual(GardenRouter.match(method: "POST", path: "/ping"), .methodNotAllowed(allowed: ["GET"]))
        XCTAssertEqual(GardenRouter.match(method: "HEAD", path: "/ping"), .methodNotAllowed(allowed: ["GET"]))
        XCTAssertEqual(GardenRouter.match(method: "get", path: "/ping"), .methodNotAllowed(allowed: ["GET"]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/h"), .methodNotAllowed(allowed: ["DELETE"]))
        XCTAssertEqual(GardenRouter.match(method: "DELETE", path: "/containers"), .methodNotAllowed(allowed: ["GET", "POST"]))
        XCTAssertEqual(GardenRouter.match(method: "POST", path: "/containers/h/properties/k"), .methodNotAllowed(allowed: ["DELETE", "GET", "PUT"]))
        XCTAssertEqual(GardenRouter.match(method: "POST", path: "/containers/h/files"), .methodNotAllowed(allowed: ["GET", "PUT"]))
    }

    func testUnknownPathsAre404() {
        for path in [
            "/", "", "ping", "/nope", "/ping/", "/containers/", "/containers//info", "/containers/h/info/",
            "/containers/h/limits/pids", "/containers/h/processes/p/attaches/s/stdin", "//ping",
            "/containers/h/processes/p/attaches//stdout",
        ] {
            XCTAssertEqual(GardenRouter.match(method: "GET", path: path), .notFound, path)
        }
        XCTAssertEqual(GardenRouter.match(method: "DELETE", path: "/containers/"), .notFound)
    }

    func testQueryIsIgnored() {
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers?a=b&c=d"), .matched(.list, params: [:]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/bulk_info?handles=a%2Cb"), .matched(.bulkInfo, params: [:]))
    }

    func testParamsAreEscapedLikePathEscapeAndDecoded() {
        let handle = "a b/c?d;e,f:g@h&i=j$k~l%m\u{FC}"
        let path = GardenRoute.info.path(["handle": handle])
        XCTAssertEqual(path, "/containers/a%20b%2Fc%3Fd%3Be%2Cf:g@h&i=j$k~l%25m%C3%BC/info")
        XCTAssertEqual(
            GardenRouter.match(method: "GET", path: "/containers/a%20b%3Fd%3Be%2Cf:g@h&i=j$k~l%C3%BC/info"),
            .matched(.info, params: ["handle": "a b?d;e,f:g@h&i=j$k~l\u{FC}"]))
    }

    func testPlusIsASpaceInParamsAsInGo() {
        // The Go client leaves '+' unescaped and pat query-unescapes the already decoded path,
        // so both '+' and '%2B' arrive as a space.
        XCTAssertEqual(GardenRoute.info.path(["handle": "a+b"]), "/containers/a+b/info")
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a+b/info"), .matched(.info, params: ["handle": "a b"]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a%2Bb/info"), .matched(.info, params: ["handle": "a b"]))
    }

    func testEscapesAreDecodedBeforeSplittingAsInGo() {
        // Go's server decodes the whole path first: an escaped '/' splits segments.
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/x%2Fy/info"), .notFound)
        XCTAssertEqual(GardenRouter.match(method: "DELETE", path: "/containers/x%2Fy"), .notFound)
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/%62ulk_info"), .matched(.bulkInfo, params: [:]))
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a%2541/info"), .matched(.info, params: ["handle": "aA"]))
    }

    func testMalformedEscapesMatchNothing() {
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a%zz/info"), .notFound)
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a%4/info"), .notFound)
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/a%/info"), .notFound)
        // "%25" decodes to a lone '%', which the parameter's own unescaping then refuses.
        XCTAssertEqual(GardenRouter.match(method: "GET", path: "/containers/50%25/info"), .notFound)
    }

    func testProcessRoutes() {
        XCTAssertEqual(
            GardenRouter.match(method: "GET", path: "/containers/c1/processes/6f1c2a3e-0d4b/attaches/1/stdout"),
            .matched(.stdout, params: ["handle": "c1", "pid": "6f1c2a3e-0d4b", "streamid": "1"]))
        XCTAssertEqual(
            GardenRouter.match(method: "GET", path: "/containers/c1/processes/some-id"),
            .matched(.attach, params: ["handle": "c1", "pid": "some-id"]))
        XCTAssertEqual(GardenRouter.match(method: "POST", path: "/containers/c1/processes"), .matched(.run, params: ["handle": "c1"]))
        XCTAssertEqual(GardenRouter.match(method: "POST", path: "/containers/c1/net/out/bulk"), .matched(.bulkNetOut, params: ["handle": "c1"]))
    }
}
