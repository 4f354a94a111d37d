/// What one `rundle` invocation did.
struct RundleResult: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    var trimmedOut: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
}
