import Testing
@testable import RundleKeeper

@Suite struct AttachFrameTests {
    static let samples: [AttachFrame] = [
        .hello(stdout: 0, stderr: .max),
        .hello(stdout: 0x0102_0304_0506_0708, stderr: 42),
        .stdin([]),
        .stdin(Array("hello\n".utf8)),
        .stdinEOF,
        .windowSize(rows: 24, columns: 80),
        .windowSize(rows: .max, columns: 1),
        .ack(.stdout, through: 65536),
        .ack(.stderr, through: .max),
        .output(.stdout, offset: 0, bytes: Array("out".utf8)),
        .output(.stderr, offset: 1 << 40, bytes: [0, 255, 10]),
        .output(.stdout, offset: 7, bytes: []),
        .exit(code: 0, kind: .exited, message: nil),
        .exit(code: 137, kind: .exited, message: nil),
        .exit(code: -1, kind: .exited, message: nil),
        .exit(code: 127, kind: .runtimeFailed, message: "exec: \"nope\": executable file not found in $PATH"),
        .exit(code: 255, kind: .statusLost, message: "unknown"),
    ]

    @Test(arguments: samples)
    func roundTrip(_ frame: AttachFrame) throws {
        var decoder = AttachFrameDecoder()
        decoder.append(frame.encoded)
        #expect(try decoder.next() == frame)
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedCount == 0)
    }

    @Test func wireFormat() {
        #expect(AttachFrame.hello(stdout: 1, stderr: 2).encoded
                == [0x48, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(AttachFrame.windowSize(rows: 0x0102, columns: 0x0304).encoded == [0x57, 0, 0, 0, 4, 1, 2, 3, 4])
        #expect(AttachFrame.ack(.stderr, through: 5).encoded == [0x41, 0, 0, 0, 9, 2, 0, 0, 0, 0, 0, 0, 0, 5])
        #expect(AttachFrame.output(.stdout, offset: 3, bytes: [9]).encoded == [0x4f, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 3, 9])
        #expect(AttachFrame.exit(code: -2, kind: .runtimeFailed, message: "x").encoded
                == [0x58, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xfe, 1, 0x78])
        #expect(AttachFrame.stdinEOF.encoded == [0x45, 0, 0, 0, 0])
    }

    @Test func framesArriveByteByByte() throws {
        var stream: [UInt8] = []
        for frame in Self.samples { frame.encode(into: &stream) }
        var decoder = AttachFrameDecoder()
        var decoded: [AttachFrame] = []
        for byte in stream {
            decoder.append([byte])
            while let frame = try decoder.next() { decoded.append(frame) }
        }
        #expect(decoded == Self.samples)
        #expect(decoder.bufferedCount == 0)
    }

    @Test func partialFrameWaitsForTheRest() throws {
        let bytes = AttachFrame.output(.stderr, offset: 9, bytes: Array(repeating: 7, count: 1000)).encoded
        var decoder = AttachFrameDecoder()
        decoder.append(Array(bytes[0..<3]))
        #expect(try decoder.peekType() == nil)
        #expect(try decoder.next() == nil)
        decoder.append(Array(bytes[3..<500]))
        #expect(try decoder.next() == nil)
        decoder.append(Array(bytes[500...]))
        #expect(try decoder.peekType() == UInt8(ascii: "R"))
        #expect(try decoder.next() == .output(.stderr, offset: 9, bytes: Array(repeating: 7, count: 1000)))
    }

    @Test func maximumPayloadIsAccepted() throws {
        let frame = AttachFrame.stdin(Array(repeating: 1, count: AttachFrame.maxPayload))
        var decoder = AttachFrameDecoder()
        decoder.append(frame.encoded)
        #expect(try decoder.next() == frame)
    }

    @Test func oversizedLengthIsAnErrorBeforeThePayloadArrives() {
        var decoder = AttachFrameDecoder()
        let length = UInt32(AttachFrame.maxPayload + 1)
        decoder.append([UInt8(ascii: "I"), UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)])
        #expect(throws: AttachProtocolError.self) { try decoder.next() }
        #expect(throws: AttachProtocolError.self) { try decoder.peekType() }
        var huge = AttachFrameDecoder()
        huge.append([UInt8(ascii: "O"), 0xff, 0xff, 0xff, 0xff])
        #expect(throws: AttachProtocolError.self) { try huge.next() }
    }

    @Test(arguments: [
        [UInt8(ascii: "Z"), 0, 0, 0, 0],                 // unknown type
        [UInt8(ascii: "H"), 0, 0, 0, 15] + Array(repeating: 0, count: 15),   // short hello
        [UInt8(ascii: "E"), 0, 0, 0, 1, 0],              // EOF with a payload
        [UInt8(ascii: "W"), 0, 0, 0, 3, 0, 0, 0],        // short window size
        [UInt8(ascii: "A"), 0, 0, 0, 9, 3, 0, 0, 0, 0, 0, 0, 0, 0],   // unknown stream
        [UInt8(ascii: "O"), 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0],         // no room for the offset
        [UInt8(ascii: "X"), 0, 0, 0, 5, 0, 0, 0, 0, 9],  // unknown exit kind
    ])
    func malformedFramesAreErrors(_ bytes: [UInt8]) {
        var decoder = AttachFrameDecoder()
        decoder.append(bytes)
        #expect(throws: AttachProtocolError.self) { try decoder.next() }
    }

    @Test func manyFramesInOneRead() throws {
        var bytes: [UInt8] = []
        for index in 0..<10_000 { AttachFrame.ack(.stdout, through: UInt64(index)).encode(into: &bytes) }
        var decoder = AttachFrameDecoder()
        decoder.append(bytes)
        var count: UInt64 = 0
        while let frame = try decoder.next() {
            #expect(frame == .ack(.stdout, through: count))
            count += 1
        }
        #expect(count == 10_000)
    }
}
