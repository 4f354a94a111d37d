#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Newline-delimited JSON (one value per line, e.g. runc's --log-format json and Rundle's events.jsonl).
///
/// A value is complete when its line ends with "\n" ("\r\n" works too); lines holding only
/// spaces, tabs or "\r" are skipped; a line holding anything but exactly one JSON value is an
/// error. Error offsets count bytes from the start of the stream (every byte fed since `init`).
public struct JSONLines: Sendable {
    private var buffer: [UInt8] = []
    /// Bytes at the front of `buffer` already known to hold no "\n".
    private var scanned = 0
    /// Stream offset of `buffer[0]`.
    private var bufferStart = 0
    /// Values parsed before a malformed line; the next `feed` or `finish` returns them first.
    private var held: [JSON] = []

    public init() {}

    /// Feed a chunk; returns every complete value. A partial value waits for more input.
    ///
    /// On a malformed line this throws; that line is dropped, and the values before it plus
    /// any lines after it in the buffer come out of the next call (`feed([])` drains them).
    public mutating func feed(_ bytes: [UInt8]) throws(JSONError) -> [JSON] {
        buffer.append(contentsOf: bytes)
        return try drain(includingUnterminated: false)
    }

    /// Ends the stream: parses a last line that has no "\n" (if it is not blank), returns what
    /// is left, and resets this reader for a new stream.
    public mutating func finish() throws(JSONError) -> [JSON] {
        let values = try drain(includingUnterminated: true)
        self = JSONLines()
        return values
    }

    /// Bytes waiting for the end of their line.
    public var pendingByteCount: Int { buffer.count }

    private mutating func drain(includingUnterminated: Bool) throws(JSONError) -> [JSON] {
        var values = held
        held = []
        let scanFrom = scanned
        let (consumed, failure) = buffer.withUnsafeBufferPointer {
            JSONLines.parseLines($0, scanFrom: scanFrom, includingUnterminated: includingUnterminated, into: &values)
        }
        buffer.removeFirst(consumed)
        bufferStart += consumed
        if let failure {
            scanned = 0
            held = values
            throw failure.shifted(by: bufferStart - consumed)
        }
        scanned = buffer.count
        return values
    }

    /// Parse a whole buffer of lines; blank lines are skipped; a malformed line throws with the offset in the whole buffer.
    /// The last line needs no "\n".
    public static func parseAll(_ bytes: [UInt8]) throws(JSONError) -> [JSON] {
        var values: [JSON] = []
        let (_, failure) = bytes.withUnsafeBufferPointer {
            parseLines($0, scanFrom: 0, includingUnterminated: true, into: &values)
        }
        if let failure { throw failure }
        return values
    }

    /// Parses the lines of `bytes` up to the last "\n" (to the end when `includingUnterminated`),
    /// stopping after the first malformed line. Returns how many bytes were consumed and the
    /// error, if any, with its offset relative to `bytes`. `scanFrom` skips a prefix known to
    /// hold no "\n".
    private static func parseLines(
        _ bytes: UnsafeBufferPointer<UInt8>, scanFrom: Int, includingUnterminated: Bool,
        into values: inout [JSON]
    ) -> (consumed: Int, failure: JSONError?) {
        guard let base = bytes.baseAddress else { return (0, nil) }
        var lineStart = 0
        var searchFrom = scanFrom
        while lineStart < bytes.count {
            let lineEnd: Int
            if let newline = memchr(base + searchFrom, 0x0A, bytes.count - searchFrom) {
                lineEnd = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline))
            } else if includingUnterminated {
                lineEnd = bytes.count
            } else {
                break
            }
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            let next = min(lineEnd + 1, bytes.count)
            if !isBlank(line) {
                switch JSONParser.parse(line) {
                case .success(let value):
                    values.append(value)
                case .failure(let error):
                    return (next, error.shifted(by: lineStart))
                }
            }
            lineStart = next
            searchFrom = next
        }
        return (lineStart, nil)
    }

    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D {
            return false
        }
        return true
    }
}
