import ArgumentParser
import Glibc
import RundleCore
import RundleKeeper
import RundleOS

/// The foreground half of `exec` and all of `attach`: stream, forward stdin (and the terminal's
/// size with a TTY), and exit with the process's own code.
enum AttachSession {
    static func run(_ containerizer: Containerizer, handle: String, id: String, replay: Bool, json: Bool, tty: Bool) throws {
        // ^C and ^\ on a non-TTY session belong to this command's process group, not the process:
        // ignore them so rundle reports the exit code (use `rundle kill` to signal the process).
        signal(SIGPIPE, SIG_IGN)
        var options = AttachOptions()
        options.replay = replay
        options.stdinFD = 0
        options.tty = tty && isTerminal(0)
        let outcome = try CLIErrors.reporting(json: json) { () throws(RundleError) in
            if options.tty {
                return try withRawTerminal(0) { () throws(RundleError) in
                    try containerizer.attach(handle, processID: id, options: options)
                }
            }
            return try containerizer.attach(handle, processID: id, options: options)
        }
        switch outcome {
        case .exited(let code, let message):
            if let message, code >= 125 {
                CLIErrors.report(RundleError(code == 127 ? .executableNotFound : code == 126 ? .notExecutable : .runtimeFailed,
                                             "cannot run the command: \(message)", handle: handle), json: json)
            }
            throw ExitCode(code)
        case .keeperLost:
            if let dir = try? containerizer.processDirectory(handle, id), let record = ExitRecord.read(processDir: dir) {
                // `rundle gc` found the keeper dead and ended the process: its output stops where
                // the keeper died; the code is the one gc recorded.
                CLIErrors.writeStderr("rundle: warning: the keeper of process '\(id)' died; \(record.error ?? "its exit was recorded by rundle gc")\n")
                throw ExitCode(record.exitCode)
            }
            CLIErrors.report(RundleError(.unavailable, "the keeper of process '\(id)' died before the process was seen to exit; its exit code is unknown (see `rundle ps \(handle)`)", handle: handle), json: json)
            throw ExitCode(125)
        }
    }
}
