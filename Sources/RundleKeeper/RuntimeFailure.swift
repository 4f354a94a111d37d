/// Maps a runtime's failure message to the exit code a shell would give (podman's convention):
/// 127 the executable was not found, 126 it is not executable, 125 anything else.
///
/// The keeper cannot import RundleRuntime (it must stay small), so the two predicates below are
/// a copy of `RuntimeErrorClassifier`'s `executableNotFound` and `notExecutable` cases in
/// Sources/RundleRuntime/RuntimeErrorClassifier.swift. Change both together.
enum RuntimeFailure {
    static let notFoundCode: Int32 = 127
    static let notExecutableCode: Int32 = 126
    static let otherCode: Int32 = 125

    static func exitCode(message: String) -> Int32 {
        let lower = message.lowercased()
        // runc: `exec: "x": executable file not found in $PATH`, `exec: "/x": stat /x: no such file or directory`;
        // crun: "executable file `x` not found in $PATH: No such file or directory".
        if lower.contains("executable file not found") || lower.contains("executable file `")
            || (lower.contains("exec: \"") && lower.hasSuffix("no such file or directory"))
        {
            return notFoundCode
        }
        // runc: `exec: "/tmp": permission denied`; crun: "open executable: Permission denied" (or EPERM).
        if (lower.contains("exec: \"") && lower.hasSuffix("permission denied")) || lower.hasPrefix("open executable") {
            return notExecutableCode
        }
        return otherCode
    }
}
