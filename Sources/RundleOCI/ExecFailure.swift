/// Why a runtime could not start an exec'd process, read from its own message (runc 1.1 and
/// crun 1.8 wordings). Shared by the runtime driver and the keeper, which both start processes.
public enum ExecFailure: Sendable, Hashable {
    case executableNotFound
    case notExecutable
    case other

    public init(message: String) {
        let lower = message.lowercased()
        // runc: `exec: "x": executable file not found in $PATH`, `exec: "/x": stat /x: no such file or directory`;
        // crun: "executable file `x` not found in $PATH: No such file or directory".
        if lower.contains("executable file not found") || lower.contains("executable file `")
            || (lower.contains("exec: \"") && lower.hasSuffix("no such file or directory"))
        {
            self = .executableNotFound
        // runc: `exec: "/tmp": permission denied`; crun: "open executable: Permission denied" (or EPERM).
        } else if (lower.contains("exec: \"") && lower.hasSuffix("permission denied")) || lower.hasPrefix("open executable") {
            self = .notExecutable
        } else {
            self = .other
        }
    }

    /// The exit code a shell gives (podman's convention): 127, 126, else 125.
    public var exitCode: Int32 {
        switch self {
        case .executableNotFound: return 127
        case .notExecutable: return 126
        case .other: return 125
        }
    }
}
