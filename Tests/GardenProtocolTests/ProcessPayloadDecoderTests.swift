import GardenProtocol
import RundleJSON
import XCTest

final class ProcessPayloadDecoderTests: XCTestCase {
    /// A client stream as the Go client writes it (one value per line), with strings that hold
    /// braces, quotes, escapes and multi-byte UTF-8, plus values packed without newlines.
    let stream = bytes(
        "{\"process_id\":\"P\",\"source\":0,\"data\":\"{[\\\"}]\\\\\"}\n"
            + "{\"process_id\":\"P\",\"source\":0,\"data\":\"h\u{E9}\u{1F600}\\u00e9\"}\n"
            + "{\"process_id\":\"P\",\"tty\":{\"window_size\":{\"columns\":120,\"rows\":40}}}"
            + "{\"process_id\":\"P\",\"signal\":1}  \r\n\t"
            + "{\"process_id\":\"P\",\"source\":0}\n")

    let expected = [
        ProcessPayload(processID: "P", source: 0, data: "{[\"}]\\"),
        ProcessPayload(processID: "P", source: 0, data: "h\u{E9}\u{1F600}\u{E9}"),
        ProcessPayload(processID: "P", tty: TTYSpec(windowSize: WindowSize(columns: 120, rows: 40))),
        ProcessPayload(processID: "P", signal: 1),
        ProcessPayload(processID: "P", source: 0),
    ]

    func testPackedIntoOneRead() throws {
        var decoder = ProcessPayloadDecoder()
        XCTAssertEqual(try decoder.feed(stream), expected)
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testFedByteByByte() throws {
        var decoder = ProcessPayloadDecoder()
        var out: [ProcessPayload] = []
        for byte in stream {
            out += try decoder.feed([byte])
        }
        XCTAssertEqual(out, expected)
    }

    func testEverySplitPointGivesTheSamePayloads() throws {
        for cut in 0...stream.count {
            var decoder = ProcessPayloadDecoder()
            let first = try decoder.feed(stream[..<cut])
            let second = try decoder.feed(stream[cut...])
            XCTAssertEqual(first + second, expected, "split at \(cut)")
        }
    }

    func testAPartialValueWaitsAndIsCounted() throws {
        var decoder = ProcessPayloadDecoder()
        XCTAssertEqual(try decoder.feed(bytes("\n\n{\"process_id\":\"P\",")), [])
        XCTAssertEqual(decoder.bufferedByteCount, 18)
        XCTAssertEqual(try decoder.feed(bytes("\"signal\":0}")), [ProcessPayload(processID: "P", signal: 0)])
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testEncodedPayloadsDecodeBack() throws {
        let sent = [
            ProcessPayload.streamStarted(processID: "id", streamID: "7"),
            ProcessPayload(processID: "id", source: 0, data: String(repeating: "x", count: 5000)),
            ProcessPayload.exited(processID: "id", status: 137),
        ]
        var decoder = ProcessPayloadDecoder()
        XCTAssertEqual(try decoder.feed(sent.flatMap { $0.line() }), sent)
    }

    func testNullIsAnEmptyPayloadAsInGo() throws {
        var decoder = ProcessPayloadDecoder()
        XCTAssertEqual(try decoder.feed(bytes("null\n{\"signal\":0}")), [ProcessPayload(), ProcessPayload(signal: 0)])
    }

    func testAWrongTypeDropsOnlyThatValue() throws {
        var decoder = ProcessPayloadDecoder()
        let good = bytes("{\"signal\":0}\n")
        let bad = bytes("{\"signal\":\"x\"}\n")
        // The payload before the bad one comes back first, the error with the next feed, and
        // decoding continues after it.
        XCTAssertEqual(try decoder.feed(good + bad + good), [ProcessPayload(signal: 0)])
        XCTAssertThrowsError(try decoder.feed([])) { error in
            XCTAssertEqual(
                (error as? GardenDecodingError)?.message,
                "json: cannot unmarshal string into field ProcessPayload.signal of type garden.Signal")
        }
        XCTAssertEqual(try decoder.feed([]), [ProcessPayload(signal: 0)])
        XCTAssertThrowsError(try decoder.feed(bytes("42 "))) { error in
            XCTAssertEqual(
                (error as? GardenDecodingError)?.message,
                "json: cannot unmarshal number into value of type transport.ProcessPayload")
        }
        XCTAssertEqual(try decoder.feed(good), [ProcessPayload(signal: 0)])
    }

    func testBrokenJSONEndsTheStream() throws {
        var decoder = ProcessPayloadDecoder()
        XCTAssertEqual(try decoder.feed(bytes("{\"signal\":1}\n{\"signal\" 1}\n")), [ProcessPayload(signal: 1)])
        var first: GardenDecodingError?
        XCTAssertThrowsError(try decoder.feed(bytes("{\"signal\":0}"))) { first = $0 as? GardenDecodingError }
        XCTAssertTrue(first?.message.hasPrefix("malformed JSON at byte ") == true, "\(String(describing: first))")
        XCTAssertThrowsError(try decoder.feed(bytes("{\"signal\":0}"))) { XCTAssertEqual($0 as? GardenDecodingError, first) }
    }

    func testAByteThatCannotStartAValueEndsTheStream() throws {
        var decoder = ProcessPayloadDecoder()
        XCTAssertThrowsError(try decoder.feed(bytes("}{}"))) { error in
            XCTAssertEqual((error as? GardenDecodingError)?.message, "invalid character '}' looking for beginning of value")
        }
        XCTAssertThrowsError(try decoder.feed(bytes("{}")))
    }

    func testOverlongMessageIsRefusedBeforeItEnds() throws {
        var decoder = ProcessPayloadDecoder(maxMessageBytes: 64)
        XCTAssertEqual(try decoder.feed(bytes("{\"data\":\"" + String(repeating: "a", count: 40))), [])
        XCTAssertThrowsError(try decoder.feed(bytes(String(repeating: "a", count: 40)))) { error in
            XCTAssertEqual((error as? GardenDecodingError)?.message, "process payload longer than 64 bytes")
        }
        XCTAssertThrowsError(try decoder.feed(bytes("{}")))
    }

    func testWhitespaceBetweenValuesIsNotKept() throws {
        var decoder = ProcessPayloadDecoder()
        for _ in 0..<1000 { XCTAssertEqual(try decoder.feed(bytes(" \n")), []) }
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }
}
