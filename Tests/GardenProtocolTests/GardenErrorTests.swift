import GardenProtocol
import RundleJSON
import XCTest

final class GardenErrorTests: XCTestCase {
    func testProcessNotFoundBodyIsThe121ByteReferenceBody() {
        let body = GardenError.processNotFound("idontexist").line()
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            "{\"Type\":\"ProcessNotFoundError\",\"Message\":\"unknown process: idontexist\",\"Handle\":\"\",\"ProcessID\":\"idontexist\",\"Binary\":\"\"}\n")
        XCTAssertEqual(body.count, 121)
        XCTAssertEqual(GardenError.processNotFound("idontexist").httpStatus, 404)
    }

    func testContainerNotFound() {
        let error = GardenError.containerNotFound("foo")
        XCTAssertEqual(
            wire(error),
            #"{"Type":"ContainerNotFoundError","Message":"unknown handle: foo","Handle":"foo","ProcessID":"","Binary":""}"#)
        XCTAssertEqual(error.httpStatus, 404)
        XCTAssertEqual(error.description, "unknown handle: foo")
    }

    func testGenericAndOtherTypesAre500WithAllFiveKeys() {
        let duplicate = GardenError.generic("Handle 'c1' already in use")
        XCTAssertEqual(
            wire(duplicate),
            #"{"Type":"","Message":"Handle 'c1' already in use","Handle":"","ProcessID":"","Binary":""}"#)
        XCTAssertEqual(duplicate.httpStatus, 500)
        XCTAssertEqual(GardenError.executableNotFound("x").httpStatus, 500)
        XCTAssertEqual(GardenError.serviceUnavailable("x").httpStatus, 500)
        XCTAssertEqual(GardenError.unrecoverable("x").httpStatus, 500)
        XCTAssertTrue(wire(GardenError.unrecoverable("broken")).hasPrefix(#"{"Type":"UnrecoverableError","Message":"broken","#))
        for type in GardenErrorType.allCases {
            let keys = GardenError(type: type, message: "m").json().objectValue?.keys
            XCTAssertEqual(keys, ["Type", "Message", "Handle", "ProcessID", "Binary"])
        }
    }

    func testDescriptionIsWhatTheGoClientPrints() {
        // The client rebuilds NotFound errors from Handle / ProcessID and ignores Message.
        XCTAssertEqual(GardenError(type: .containerNotFound, message: "other", handle: "h").description, "unknown handle: h")
        XCTAssertEqual(GardenError(type: .processNotFound, message: "other", processID: "p").description, "unknown process: p")
        XCTAssertEqual(GardenError.executableNotFound("exec: \"nope\": executable file not found in $PATH").description,
                       "exec: \"nope\": executable file not found in $PATH")
    }

    func testDecodingErrorsRoundTripAndUnknownTypesAreGeneric() throws {
        for error in [
            GardenError.containerNotFound("a b"), .processNotFound("p"), .generic("g"), .executableNotFound("e"),
            .serviceUnavailable("s"), .unrecoverable("u"),
        ] {
            assertRoundTrip(error)
        }
        let unknown = try GardenError(bytes: bytes(#"{"Type":"SomethingNewError","Message":"m"}"#))
        XCTAssertEqual(unknown, GardenError.generic("m"))
        let lower = try GardenError(bytes: bytes(#"{"type":"ContainerNotFoundError","handle":"x"}"#))
        XCTAssertEqual(lower.type, .containerNotFound)
        XCTAssertEqual(lower.description, "unknown handle: x")
    }
}
