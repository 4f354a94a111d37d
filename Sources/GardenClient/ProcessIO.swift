import RundleOS

/// What a Run or Attach connects to: stdin is sent if given; stdout and stderr streams are
/// opened only for the sinks given (like Go's `garden.ProcessIO`).
public struct ProcessIO: Sendable {
    public var stdin: ByteSource?
    public var stdout: OutputSink?
    public var stderr: OutputSink?

    public init(stdin: ByteSource? = nil, stdout: OutputSink? = nil, stderr: OutputSink? = nil) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Where a process's output goes. Called on a background thread, in order, once per piece.
public struct OutputSink: Sendable {
    public let write: @Sendable ([UInt8]) -> Void

    public init(_ write: @escaping @Sendable ([UInt8]) -> Void) {
        self.write = write
    }

    /// Appends to `buffer`.
    public init(_ buffer: OutputBuffer) {
        self.write = { buffer.append($0) }
    }

    /// Appends to `buffer`.
    public static func buffer(_ buffer: OutputBuffer) -> OutputSink { OutputSink(buffer) }

    /// Writes to `fd` (never closed; write errors such as EPIPE drop the rest).
    public static func fileDescriptor(_ fd: Int32) -> OutputSink {
        OutputSink { bytes in
            _ = try? bytes.withUnsafeBytes { raw in
                Result { () throws(OSError) in try writeFully(fd, raw) }
            }.get()
        }
    }
}

/// A thread-safe growing byte buffer for collected output; tests can read it at any time and
/// wait until it holds something.
public final class OutputBuffer: Sendable {
    private let storage = ConditionLock<[UInt8]>([])

    public init() {}

    /// Appends `bytes` and wakes waiters.
    public func append(_ bytes: [UInt8]) {
        storage.mutate { $0.append(contentsOf: bytes) }
    }

    /// A copy of everything collected so far.
    public var bytes: [UInt8] { storage.read { $0 } }

    /// The collected bytes as text (invalid UTF-8 replaced).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var count: Int { storage.read { $0.count } }

    /// Waits until `predicate` holds for the collected bytes: false if `timeout` passes first.
    public func wait(timeout: Duration, until predicate: ([UInt8]) -> Bool) -> Bool {
        storage.wait(deadline: IODeadline(timeout)) { predicate($0) ? true : nil } ?? false
    }

    /// Waits until the collected text contains `text`: false if `timeout` passes first.
    public func wait(forText text: String, timeout: Duration) -> Bool {
        let needle = Array(text.utf8)
        return wait(timeout: timeout) { bytes in
            needle.isEmpty || bytes.count >= needle.count && (0...(bytes.count - needle.count)).contains { start in
                bytes[start..<(start + needle.count)].elementsEqual(needle)
            }
        }
    }
}
