// The attach protocol, spoken on `<process dir>/attach.sock` between rundle-keeper and its
// clients (`rundle exec`, `rundle attach`, the daemon). Stated once, here.
//
// A frame is 1 byte type, 4 bytes big-endian payload length, then the payload. A payload
// longer than `AttachFrame.maxPayload` is a protocol error that closes that connection only.
//
// client -> keeper
//   H hello   8 B stdout offset, 8 B stderr offset (BE). 0 = from the start of what is kept,
//             UInt64.max = live only, else resume at that absolute offset (clamped to what is
//             kept). Sent once, first; nothing is sent to a client before its hello.
//   I stdin   the bytes, for the process's stdin (pipe or pty master), from any client.
//   E eof     closes the process's stdin (a pipe's write end is closed; a pty gets VEOF, ^D).
//   W winsize 2 B rows, 2 B columns (BE): TIOCSWINSZ on the pty; ignored without a TTY.
//   A ack     1 B stream (1 stdout, 2 stderr), 8 B offset: this client has written out every
//             byte of the stream before that offset. The keeper may drop acknowledged bytes
//             from its bounded log; it never drops a byte no client has acknowledged.
// keeper -> client
//   O stdout  8 B offset of the first byte, then the bytes. Offsets are absolute stream
//   R stderr  offsets: byte N of the process's stdout is at offset N forever. A jump forward
//             means bytes another client acknowledged were dropped before this one got them.
//   X exit    4 B exit code (BE Int32), 1 B kind (0 exited, 1 runtime failed, 2 exit status
//             lost), then an optional UTF-8 message (the runtime's, or why the status is lost).
//             Last frame: it follows all of the client's output, and exit.json is on disk
//             before it is sent.

/// One of the process's output streams (with a TTY there is only stdout).
public enum AttachStream: UInt8, Sendable, Hashable, CaseIterable {
    case stdout = 1
    case stderr = 2
}

/// How a process ended, as the `X` frame says it.
public enum AttachExitKind: UInt8, Sendable, Hashable {
    case exited = 0
    case runtimeFailed = 1
    /// The process ended but how is not known (exit.json kind "keeper-lost").
    case statusLost = 2
}

/// A malformed frame: the connection that sent it is closed.
public struct AttachProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "attach protocol error: \(message)" }
}

/// One frame of the attach protocol (see the top of AttachFrame.swift).
public enum AttachFrame: Sendable, Hashable {
    case hello(stdout: UInt64, stderr: UInt64)
    case stdin([UInt8])
    case stdinEOF
    case windowSize(rows: UInt16, columns: UInt16)
    case ack(AttachStream, through: UInt64)
    case output(AttachStream, offset: UInt64, bytes: [UInt8])
    case exit(code: Int32, kind: AttachExitKind, message: String?)

    /// The largest payload accepted (1 MiB).
    public static let maxPayload = 1 << 20
    /// Type byte + length.
    public static let headerSize = 5
    /// The hello offset meaning "from the start of what is kept".
    public static let fromStart: UInt64 = 0
    /// The hello offset meaning "live output only".
    public static let liveOnly: UInt64 = .max

    static let typeHello = UInt8(ascii: "H")
    static let typeStdin = UInt8(ascii: "I")
    static let typeStdinEOF = UInt8(ascii: "E")
    static let typeWindowSize = UInt8(ascii: "W")
    static let typeAck = UInt8(ascii: "A")
    static let typeStdout = UInt8(ascii: "O")
    static let typeStderr = UInt8(ascii: "R")
    static let typeExit = UInt8(ascii: "X")

    /// The frame's bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    /// Appends the frame's bytes to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        switch self {
        case .hello(let stdout, let stderr):
            Self.appendHeader(Self.typeHello, 16, to: &bytes)
            Self.append(stdout, to: &bytes)
            Self.append(stderr, to: &bytes)
        case .stdin(let data):
            Self.appendHeader(Self.typeStdin, data.count, to: &bytes)
            bytes.append(contentsOf: data)
        case .stdinEOF:
            Self.appendHeader(Self.typeStdinEOF, 0, to: &bytes)
        case .windowSize(let rows, let columns):
            Self.appendHeader(Self.typeWindowSize, 4, to: &bytes)
            Self.append(rows, to: &bytes)
            Self.append(columns, to: &bytes)
        case .ack(let stream, let through):
            Self.appendHeader(Self.typeAck, 9, to: &bytes)
            bytes.append(stream.rawValue)
            Self.append(through, to: &bytes)
        case .output(let stream, let offset, let data):
            Self.appendOutputHeader(stream, offset: offset, count: data.count, to: &bytes)
            bytes.append(contentsOf: data)
        case .exit(let code, let kind, let message):
            let text = Array((message ?? "").utf8)
            Self.appendHeader(Self.typeExit, 5 + text.count, to: &bytes)
            Self.append(UInt32(bitPattern: code), to: &bytes)
            bytes.append(kind.rawValue)
            bytes.append(contentsOf: text)
        }
    }

    /// The 13 bytes that start an `O`/`R` frame of `count` data bytes (the keeper appends the
    /// data itself, read straight from its log file).
    public static func appendOutputHeader(_ stream: AttachStream, offset: UInt64, count: Int, to bytes: inout [UInt8]) {
        appendHeader(stream == .stdout ? typeStdout : typeStderr, 8 + count, to: &bytes)
        append(offset, to: &bytes)
    }

    static func appendHeader(_ type: UInt8, _ length: Int, to bytes: inout [UInt8]) {
        bytes.append(type)
        append(UInt32(length), to: &bytes)
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// Decodes one frame from its type and payload.
    static func decode(type: UInt8, payload: ArraySlice<UInt8>) throws(AttachProtocolError) -> AttachFrame {
        func need(_ count: Int, exact: Bool = true) throws(AttachProtocolError) {
            if exact ? payload.count != count : payload.count < count {
                throw AttachProtocolError("frame '\(Character(Unicode.Scalar(type)))' has a \(payload.count)-byte payload")
            }
        }
        let base = payload.startIndex
        switch type {
        case typeHello:
            try need(16)
            return .hello(stdout: integer(payload, base), stderr: integer(payload, base + 8))
        case typeStdin:
            return .stdin(Array(payload))
        case typeStdinEOF:
            try need(0)
            return .stdinEOF
        case typeWindowSize:
            try need(4)
            return .windowSize(rows: integer(payload, base), columns: integer(payload, base + 2))
        case typeAck:
            try need(9)
            guard let stream = AttachStream(rawValue: payload[base]) else {
                throw AttachProtocolError("ack for unknown stream \(payload[base])")
            }
            return .ack(stream, through: integer(payload, base + 1))
        case typeStdout, typeStderr:
            try need(8, exact: false)
            return .output(type == typeStdout ? .stdout : .stderr, offset: integer(payload, base),
                           bytes: Array(payload[(base + 8)...]))
        case typeExit:
            try need(5, exact: false)
            guard let kind = AttachExitKind(rawValue: payload[base + 4]) else {
                throw AttachProtocolError("exit frame of unknown kind \(payload[base + 4])")
            }
            let text = payload[(base + 5)...]
            return .exit(code: Int32(bitPattern: integer(payload, base) as UInt32), kind: kind,
                         message: text.isEmpty ? nil : String(decoding: text, as: UTF8.self))
        default:
            throw AttachProtocolError("unknown frame type \(type)")
        }
    }

    static func integer<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, _ at: Int) -> T {
        var value: T = 0
        for index in at..<(at + MemoryLayout<T>.size) {
            value = value << 8 | T(bytes[index])
        }
        return value
    }
}

/// Splits a byte stream into frames: feed it what the socket gave, then take frames while
/// complete ones are buffered. Holds at most one partial frame (bounded by `maxPayload`).
public struct AttachFrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var head = 0

    public init() {}

    /// Bytes received but not yet taken as frames.
    public var bufferedCount: Int { buffer.count - head }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The type byte of the next frame if it is complete (to decide whether to take it now).
    /// Throws for an oversized length, as `next()` would.
    public func peekType() throws(AttachProtocolError) -> UInt8? {
        guard let length = try completeLength() else { return nil }
        _ = length
        return buffer[head]
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(AttachProtocolError) -> AttachFrame? {
        guard let length = try completeLength() else { return nil }
        let type = buffer[head]
        let payload = buffer[(head + AttachFrame.headerSize)..<(head + AttachFrame.headerSize + length)]
        let frame = try AttachFrame.decode(type: type, payload: payload)
        head += AttachFrame.headerSize + length
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 << 10)
            head = 0
        }
        return frame
    }

    /// The payload length of the frame at `head` when all of it is buffered.
    private func completeLength() throws(AttachProtocolError) -> Int? {
        guard buffer.count - head >= AttachFrame.headerSize else { return nil }
        let length = Int(AttachFrame.integer(buffer[...], head + 1) as UInt32)
        guard length <= AttachFrame.maxPayload else {
            throw AttachProtocolError("frame of \(length) bytes exceeds the \(AttachFrame.maxPayload)-byte limit")
        }
        guard buffer.count - head - AttachFrame.headerSize >= length else { return nil }
        return length
    }

    private mutating func compact() {
        if head > 0, head >= buffer.count / 2 {
            buffer.removeFirst(head)
            head = 0
        }
    }
}
