import RundleJSON
import RundleOS

/// `exit.json`: how the process ended. Written once and atomically (temp file, fsync, link,
/// fsync of the directory) by the keeper before any client is told, so an exit code is never
/// reported that is not on disk.
///
/// ```
/// {"exitCode": 137, "signal": 9, "exitedAt": 1700000000123456789, "kind": "exited"}
/// {"exitCode": 127, "exitedAt": …, "error": "exec: \"nope\": executable file not found in $PATH", "kind": "runtime-failed"}
/// ```
public struct ExitRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The process ran and ended (exitCode is its code, or 128 + signal).
        case exited
        /// The runtime could not start it: 127 not found, 126 not executable, 125 otherwise.
        case runtimeFailed = "runtime-failed"
        /// The keeper died before recording an exit (written by whoever found that out).
        case keeperLost = "keeper-lost"
    }

    /// As a shell reports it: the code, or 128 + the signal.
    public var exitCode: Int32
    /// The signal that killed the process, if one did.
    public var signal: Int32?
    /// When the exit was seen, in nanoseconds since the Unix epoch.
    public var exitedAt: Int64
    /// The runtime's own message when it failed to start the process.
    public var error: String?
    public var kind: Kind

    public init(exitCode: Int32, signal: Int32? = nil, exitedAt: Int64, error: String? = nil, kind: Kind) {
        self.exitCode = exitCode
        self.signal = signal
        self.exitedAt = exitedAt
        self.error = error
        self.kind = kind
    }

    /// The record for a process that ended with `status` at `exitedAt`.
    public init(status: ExitStatus, exitedAt: Int64) {
        switch status {
        case .exited(let code): self.init(exitCode: code, exitedAt: exitedAt, kind: .exited)
        case .signaled(let signal): self.init(exitCode: 128 + signal, signal: signal, exitedAt: exitedAt, kind: .exited)
        }
    }

    public var json: JSON {
        var value: JSON = ["exitCode": JSON(Int64(exitCode))]
        if let signal { value["signal"] = JSON(Int64(signal)) }
        value["exitedAt"] = JSON(exitedAt)
        if let error { value["error"] = JSON(error) }
        value["kind"] = JSON(kind.rawValue)
        return value
    }

    public var jsonBytes: [UInt8] { json.serializedBytes() + [UInt8(ascii: "\n")] }

    /// Parses exit.json's content; nil when it is not a valid record.
    public init?(jsonBytes: [UInt8]) {
        guard let value = try? JSON.parse(jsonBytes),
              let code = value["exitCode"]?.int64Value, let exitCode = Int32(exactly: code),
              let kindText = value["kind"]?.stringValue, let kind = Kind(rawValue: kindText)
        else { return nil }
        var signal: Int32?
        if let raw = value["signal"], !raw.isNull {
            guard let number = raw.int64Value, let exact = Int32(exactly: number) else { return nil }
            signal = exact
        }
        self.init(exitCode: exitCode, signal: signal, exitedAt: value["exitedAt"]?.int64Value ?? 0,
                  error: value["error"]?.stringValue, kind: kind)
    }

    /// The record in `processDir`, or nil when there is none (yet) or it is unreadable.
    public static func read(processDir: String) -> ExitRecord? {
        let path = ProcessDirLayout(directory: processDir).exitRecordPath
        guard let bytes = try? readFile(path, limit: 1 << 20) else { return nil }
        return ExitRecord(jsonBytes: bytes)
    }

    /// Writes the record into `processDir` once: throws EEXIST when an exit.json is already there.
    public func write(processDir: String) throws(OSError) {
        try createFileOnce(ProcessDirLayout(directory: processDir).exitRecordPath, jsonBytes, mode: 0o644)
    }

    /// The `X` frame that tells a client about this exit.
    public var frame: AttachFrame {
        let frameKind: AttachExitKind = switch kind {
        case .exited: .exited
        case .runtimeFailed: .runtimeFailed
        case .keeperLost: .statusLost
        }
        return .exit(code: exitCode, kind: frameKind, message: error)
    }
}
