import Glibc
import RundleKeeper
import RundleOS
import Synchronization

/// Per process: how far each output stream has reached a Garden client, kept in the process's
/// directory (`garden.delivered`) so that after a daemon restart an attach resumes exactly
/// there — nothing lost, nothing sent twice.
///
/// The offsets are written (no fsync: a daemon kill -9 keeps the page cache) right after the
/// bytes were handed to the client's socket and before the keeper is told it may drop them.
final class DeliveryLedger: Sendable {
    static let fileName = "garden.delivered"

    let processDir: String
    private let state: Mutex<(offsets: [UInt64], fd: Int32)>

    init(processDir: String) {
        self.processDir = processDir
        let path = processDir + "/" + Self.fileName
        let offsets = Self.read(path) ?? [0, 0]
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        state = Mutex((offsets, fd))
    }

    deinit {
        state.withLock { if $0.fd >= 0 { closeDescriptor($0.fd) } }
    }

    /// The offsets (stdout, stderr) no Garden client has gone past.
    var offsets: (stdout: UInt64, stderr: UInt64) {
        state.withLock { ($0.offsets[0], $0.offsets[1]) }
    }

    /// Moves a stream's offset forward (never back: concurrent clients each report their own).
    func advance(_ stream: AttachStream, to offset: UInt64) {
        let index = stream == .stdout ? 0 : 1
        state.withLock { state in
            guard offset > state.offsets[index] else { return }
            state.offsets[index] = offset
            guard state.fd >= 0 else { return }
            // Fixed width, so a shorter number never leaves the tail of a longer one behind.
            let text = Array((Self.pad(state.offsets[0]) + " " + Self.pad(state.offsets[1]) + "\n").utf8)
            _ = text.withUnsafeBytes { pwrite(state.fd, $0.baseAddress, $0.count, 0) }
        }
    }

    static func pad(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    static func read(_ path: String) -> [UInt64]? {
        guard let bytes = try? readFile(path, limit: 128) else { return nil }
        let fields = bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
            .compactMap { UInt64(String(decoding: $0, as: UTF8.self)) }
        return fields.count == 2 ? fields : nil
    }
}
