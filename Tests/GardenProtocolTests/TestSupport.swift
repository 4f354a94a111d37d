import GardenProtocol
import RundleJSON
import XCTest

/// The compact wire text of a body.
func wire(_ body: some GardenBody) -> String {
    body.json().serialized()
}

/// UTF-8 bytes of a string literal.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Decodes `text` as `T`, failing the test on an error.
func decode<T: GardenBody>(
    _ type: T.Type, _ text: String, file: StaticString = #filePath, line: UInt = #line
) -> T? {
    do {
        return try T(bytes: Array(text.utf8))
    } catch {
        XCTFail("decoding \(text) failed: \(error.message)", file: file, line: line)
        return nil
    }
}

/// The message of the error decoding `text` as `T` throws; a test failure when it does not throw.
func decodingError<T: GardenBody>(
    _ type: T.Type, _ text: String, file: StaticString = #filePath, line: UInt = #line
) -> String? {
    do {
        let value = try T(bytes: Array(text.utf8))
        XCTFail("expected an error decoding \(text), got \(value)", file: file, line: line)
        return nil
    } catch {
        return error.message
    }
}

/// Encodes, decodes the encoding, and checks both the value and the text survive.
func assertRoundTrip<T: GardenBody>(_ value: T, file: StaticString = #filePath, line: UInt = #line) {
    let text = value.line()
    XCTAssertEqual(text.last, UInt8(ascii: "\n"), "a body ends with a newline as Go's encoder writes it", file: file, line: line)
    do {
        let decoded = try T(bytes: text)
        XCTAssertEqual(decoded, value, file: file, line: line)
        XCTAssertEqual(decoded.line(), text, file: file, line: line)
    } catch {
        XCTFail("round trip of \(String(decoding: text, as: UTF8.self)) failed: \(error.message)", file: file, line: line)
    }
}
