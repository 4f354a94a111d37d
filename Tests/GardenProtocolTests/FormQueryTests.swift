import GardenProtocol
import XCTest

final class FormQueryTests: XCTestCase {
    private func pairs(_ query: String) -> [String] {
        FormQuery.parse(query).map { "\($0.key)=\($0.value)" }
    }

    func testParse() {
        XCTAssertEqual(pairs("handles=a%2Cb"), ["handles=a,b"])
        XCTAssertEqual(pairs("a=1&b=2&a=3"), ["a=1", "b=2", "a=3"])
        XCTAssertEqual(pairs("x+y=%20z+w"), ["x y= z w"])
        XCTAssertEqual(pairs("destination=%2Fhome%2Falice&user=alice"), ["destination=/home/alice", "user=alice"])
        XCTAssertEqual(pairs("k&v="), ["k=", "v="])
        XCTAssertEqual(pairs("a=b=c"), ["a=b=c"])
        XCTAssertEqual(pairs("=v"), ["=v"])
        XCTAssertEqual(pairs(""), [])
        XCTAssertEqual(pairs("&&"), [])
        XCTAssertEqual(pairs("%C3%BC=%E2%9C%93"), ["\u{FC}=\u{2713}"])
    }

    func testParseSkipsWhatGoSkips() {
        XCTAssertEqual(pairs("bad=%zz&ok=1&worse%=2"), ["ok=1"])
        XCTAssertEqual(pairs("a=1;b=2&c=3"), ["c=3"])
    }

    func testParseAcceptsSubstrings() {
        let target = "/containers?garden.state=all&x=1"
        let query = target[target.index(after: target.firstIndex(of: "?")!)...]
        XCTAssertEqual(FormQuery.parse(query).map(\.key), ["garden.state", "x"])
    }

    func testEncodeSortsKeysAndEscapesLikeGo() {
        XCTAssertEqual(
            FormQuery.encode([("user", "alice"), ("destination", "/home/a b"), ("b", "2"), ("B", "1"), ("b", "0")]),
            "B=1&b=2&b=0&destination=%2Fhome%2Fa+b&user=alice")
        XCTAssertEqual(FormQuery.encode([("handles", "a,b")]), "handles=a%2Cb")
        XCTAssertEqual(FormQuery.encode([("k", "~-._*+&=?\u{FC}")]), "k=~-._%2A%2B%26%3D%3F%C3%BC")
        XCTAssertEqual(FormQuery.encode([]), "")
    }

    func testEncodeThenParseGivesTheSortedPairs() {
        let input = [("z", "1 2"), ("a", "x&y=z"), ("m", "%+/")]
        let parsed = FormQuery.parse(FormQuery.encode(input))
        XCTAssertEqual(parsed.map(\.key), ["a", "m", "z"])
        XCTAssertEqual(parsed.map(\.value), ["x&y=z", "%+/", "1 2"])
    }

    func testFirstValues() {
        let parsed = FormQuery.parse("a=1&b=2&a=3")
        XCTAssertEqual(FormQuery.first("a", in: parsed), "1")
        XCTAssertNil(FormQuery.first("c", in: parsed))
        XCTAssertEqual(FormQuery.firstValues(parsed), ["a": "1", "b": "2"])
    }
}
