import RundleOCI

/// Maps a runtime's failure message to the exit code a shell would give (podman's convention):
/// 127 the executable was not found, 126 it is not executable, 125 anything else.
enum RuntimeFailure {
    static let otherCode: Int32 = 125

    static func exitCode(message: String) -> Int32 { ExecFailure(message: message).exitCode }
}
