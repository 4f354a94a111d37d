import RundleJSON

/// One line of an OCI runtime's `--log-format json` log (runc and crun write the same keys).
public struct RuntimeLogLine: Sendable, Hashable {
    public var level: String
    public var message: String

    public init(level: String, message: String) {
        self.level = level
        self.message = message
    }

    public var isError: Bool { level == "error" || level == "fatal" || level == "panic" }
}

/// Reads a runtime's JSON log and picks the line that explains a failure.
public enum RuntimeLog {
    /// Every parsable line; a line that is not JSON (a runtime may print plain text before its
    /// logger is set up) is kept as an error line with its text, so nothing the runtime said is lost.
    public static func lines(_ bytes: [UInt8]) -> [RuntimeLogLine] {
        var out: [RuntimeLogLine] = []
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let line = Array(raw)
            if let value = try? JSON.parse(line), let msg = value["msg"]?.stringValue {
                out.append(RuntimeLogLine(level: value["level"]?.stringValue ?? "info", message: msg))
            } else {
                let text = String(decoding: line, as: UTF8.self)
                if !text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    out.append(RuntimeLogLine(level: "error", message: text))
                }
            }
        }
        return out
    }

    /// The last error-level message, which is the runtime's own account of why it failed.
    public static func lastError(_ bytes: [UInt8]) -> String? {
        lines(bytes).last(where: \.isError)?.message
    }
}
