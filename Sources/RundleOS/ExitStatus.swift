/// How a process ended.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// The code a shell reports: the exit code, or 128 + the signal number.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exited with \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }

    /// Decodes a waitpid(2) status (WIFEXITED/WEXITSTATUS/WTERMSIG, which Swift cannot import).
    init(waitStatus status: Int32) {
        let termSignal = status & 0x7f
        if termSignal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(termSignal)
        }
    }
}
