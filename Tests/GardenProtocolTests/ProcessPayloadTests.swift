import GardenProtocol
import RundleJSON
import XCTest

final class ProcessPayloadTests: XCTestCase {
    func testClientMessagesOfTheReference() throws {
        XCTAssertEqual(wire(ProcessPayload(processID: "P", source: 0, data: "hello\n")), #"{"process_id":"P","source":0,"data":"hello\n"}"#)
        XCTAssertEqual(wire(ProcessPayload(processID: "P", source: 0)), #"{"process_id":"P","source":0}"#)
        XCTAssertEqual(wire(ProcessPayload(processID: "P", signal: ProcessSignal.terminate.rawValue)), #"{"process_id":"P","signal":0}"#)
        XCTAssertEqual(wire(ProcessPayload(processID: "P", signal: ProcessSignal.kill.rawValue)), #"{"process_id":"P","signal":1}"#)
        XCTAssertEqual(
            wire(ProcessPayload(processID: "P", tty: TTYSpec(windowSize: WindowSize(columns: 123, rows: 456)))),
            #"{"process_id":"P","tty":{"window_size":{"columns":123,"rows":456}}}"#)
    }

    func testServerMessagesOfTheReference() {
        XCTAssertEqual(
            ProcessPayload.streamStarted(processID: "some-id", streamID: "2").line(),
            bytes("{\"process_id\":\"some-id\",\"stream_id\":\"2\"}\n"))
        XCTAssertEqual(ProcessPayload.exited(processID: "some-id", status: 12).line(), bytes("{\"process_id\":\"some-id\",\"exit_status\":12}\n"))
        XCTAssertEqual(wire(ProcessPayload.exited(processID: "P", status: 0)), #"{"process_id":"P","exit_status":0}"#)
        XCTAssertEqual(wire(ProcessPayload.failed(processID: "P", error: "boom")), #"{"process_id":"P","error":"boom"}"#)
        XCTAssertEqual(wire(ProcessPayload()), "{}")
    }

    func testEveryFieldRoundTrips() {
        assertRoundTrip(ProcessPayload(
            processID: "p", streamID: "s", source: 0, data: "\u{0003}ü\"{}", exitStatus: -1, error: "e",
            tty: TTYSpec(windowSize: WindowSize(columns: 1, rows: 2)), signal: 1))
        assertRoundTrip(ProcessPayload(processID: "", source: 0, data: ""))
    }

    func testDecodingIsCaseInsensitiveAndChecksTypes() throws {
        let payload = try ProcessPayload(bytes: bytes(#"{"Process_ID":"P","SOURCE":0,"Data":"x","extra":[1]}"#))
        XCTAssertEqual(payload, ProcessPayload(processID: "P", source: 0, data: "x"))
        XCTAssertEqual(
            decodingError(ProcessPayload.self, #"{"signal":"kill"}"#),
            "json: cannot unmarshal string into field ProcessPayload.signal of type garden.Signal")
        XCTAssertEqual(
            decodingError(ProcessPayload.self, #"{"exit_status":1.5}"#),
            "json: cannot unmarshal number 1.5 into field ProcessPayload.exit_status of type int")
    }

    func testClientRequestFollowsUpstreamDispatchOrder() {
        XCTAssertEqual(ProcessPayload(source: 0, data: "hi", tty: TTYSpec(), signal: 1).clientRequest, .resize(nil))
        XCTAssertEqual(
            ProcessPayload(tty: TTYSpec(windowSize: WindowSize(columns: 3, rows: 4))).clientRequest,
            .resize(WindowSize(columns: 3, rows: 4)))
        XCTAssertEqual(ProcessPayload(source: 0, data: "hé", signal: 1).clientRequest, .stdin([0x68, 0xC3, 0xA9]))
        XCTAssertEqual(ProcessPayload(processID: "P", source: 0).clientRequest, .stdinEOF)
        XCTAssertEqual(ProcessPayload(signal: 0).clientRequest, .signal(.terminate))
        XCTAssertEqual(ProcessPayload(signal: 1).clientRequest, .signal(.kill))
        XCTAssertEqual(ProcessPayload(signal: 9).clientRequest, .unknown)
        XCTAssertEqual(ProcessPayload(processID: "P").clientRequest, .unknown)
    }
}
