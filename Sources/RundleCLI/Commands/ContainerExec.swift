import ArgumentParser
import Glibc
import RundleCore

/// `rundle exec`: Garden's Run in the foreground; exits with the process's exit code.
struct ContainerExec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a process in a container; exit with its exit code.",
        discussion: """
            Exit codes: the process's own; 125 when Rundle fails, 126 when the command cannot be \
            executed, 127 when it does not exist. A process killed by a signal exits 128+signal.
            EXAMPLE: rundle exec web1 -u alice -w /tmp -e DEBUG=1 -- sh -c 'id; pwd'
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Environment entry.", valueName: "K=V"))
    var env: [String] = []

    @Option(name: [.customShort("w"), .customLong("cwd"), .customLong("workdir")], help: ArgumentHelp("Working directory (default: the user's home).", valueName: "dir"))
    var cwd: String?

    @Option(name: [.short, .long], help: ArgumentHelp("User from the container's /etc/passwd.", valueName: "name|uid[:gid]"))
    var user: String?

    @Argument(help: "The container's handle.")
    var handle: String

    // Everything after `--` is the command, so options may stand before or after the handle.
    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func run() throws {
        let args = command
        var request = ProcessRequest(args: args)
        request.env = env
        request.cwd = cwd
        request.user = user
        let status = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            guard !args.isEmpty else { throw RundleError(.invalidArgument, "no command given: rundle exec HANDLE -- CMD [ARG...]") }
            // The terminal's ^C and ^\ reach the runtime (same process group), which forwards them
            // to the process; Rundle must outlive them to report the exit code.
            signal(SIGINT, SIG_IGN)
            signal(SIGQUIT, SIG_IGN)
            return try global.containerizer().run(handle, request)
        }
        throw ExitCode(status.shellCode)
    }
}
