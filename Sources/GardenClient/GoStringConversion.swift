/// Turns byte chunks into strings the way the Go client does (`string(data)` then JSON
/// encoding): valid UTF-8 passes through, and every byte that does not start a valid sequence
/// becomes U+FFFD. Unlike Go, a sequence split across two chunks is carried over and kept
/// whole; only at the end is an unfinished sequence replaced.
struct GoStringConversion: Sendable {
    private var carry: [UInt8] = []

    /// The text of `chunk` (with bytes carried from before), holding back an unfinished
    /// trailing sequence.
    mutating func convert(_ chunk: [UInt8]) -> String {
        let bytes = carry + chunk
        let held = unfinishedSuffixLength(bytes)
        carry = Array(bytes.suffix(held))
        return Self.lossy(bytes.dropLast(held))
    }

    /// Whatever is still carried, replaced as Go would (empty when nothing is).
    mutating func finish() -> String {
        defer { carry = [] }
        return Self.lossy(carry[...])
    }

    /// Go's per-byte replacement of invalid UTF-8 (utf8.DecodeRune rules: no overlongs, no
    /// surrogates, nothing above U+10FFFF).
    static func lossy(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let length = validSequenceLength(bytes[i...])
            if length > 0 {
                out.append(contentsOf: bytes[i..<(i + length)])
                i += length
            } else {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The length of the valid sequence starting `bytes`, or 0.
    private static func validSequenceLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let lead = bytes.first else { return 0 }
        let (length, second) = shape(lead)
        guard length > 0, bytes.count >= length else { return 0 }
        var index = bytes.startIndex + 1
        for n in 1..<length {
            let byte = bytes[index]
            let range: ClosedRange<UInt8> = n == 1 ? second : 0x80...0xBF
            guard range.contains(byte) else { return 0 }
            index += 1
        }
        return length
    }

    /// The sequence length a lead byte announces and the range of its second byte (0 = invalid).
    private static func shape(_ lead: UInt8) -> (Int, ClosedRange<UInt8>) {
        switch lead {
        case 0x00...0x7F: return (1, 0x80...0xBF)
        case 0xC2...0xDF: return (2, 0x80...0xBF)
        case 0xE0: return (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80...0xBF)
        case 0xED: return (3, 0x80...0x9F)
        case 0xF0: return (4, 0x90...0xBF)
        case 0xF1...0xF3: return (4, 0x80...0xBF)
        case 0xF4: return (4, 0x80...0x8F)
        default: return (0, 0x80...0xBF)
        }
    }

    /// How many trailing bytes form a valid but unfinished sequence (0...3).
    private func unfinishedSuffixLength(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        for back in 1...min(3, bytes.count) {
            let start = bytes.count - back
            if (0x80...0xBF).contains(bytes[start]) { continue }  // a continuation: find its lead
            let (length, second) = Self.shape(bytes[start])
            guard length > back else { return 0 }  // ASCII, an invalid lead, or already complete
            for (n, byte) in bytes[(start + 1)...].enumerated() {
                let range: ClosedRange<UInt8> = n == 0 ? second : 0x80...0xBF
                if !range.contains(byte) { return 0 }
            }
            return back
        }
        return 0
    }
}
