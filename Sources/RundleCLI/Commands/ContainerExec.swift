import ArgumentParser
import Glibc
import RundleCore
import RundleJSON
import RundleOS

/// `rundle exec`: Garden's Run in the foreground; exits with the process's exit code.
struct ContainerExec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a process in a container; exit with its exit code.",
        discussion: """
            Every process runs under its own keeper, so it survives this command: -d prints its id \
            at once; in the foreground, killing rundle leaves the process running (rundle attach \
            HANDLE ID reconnects). Exit codes: the process's own; 125 when Rundle fails, 126 when \
            the command cannot be executed, 127 when it does not exist; a process killed by a \
            signal exits 128+signal.
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

    @Flag(name: [.short, .long], help: "Start the process in the background and print its id.")
    var detach = false

    @Option(name: .long, help: ArgumentHelp("The process id (generated when omitted; unique per container).", valueName: "id"))
    var id: String?

    @Flag(name: [.short, .long], help: "Give the process a terminal (the local one is put in raw mode).")
    var tty = false

    @Argument(help: "The container's handle.")
    var handle: String

    // Everything after `--` is the command, so options may stand before or after the handle.
    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func run() throws {
        var request = ProcessRequest(args: command)
        request.env = env
        request.cwd = cwd
        request.user = user
        request.tty = tty
        if tty, let size = try? windowSize(0) {
            request.windowRows = size.rows
            request.windowColumns = size.columns
        }
        let containerizer = global.containerizer()
        let id = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            guard !command.isEmpty else { throw RundleError(.invalidArgument, "no command given: rundle exec HANDLE -- CMD [ARG...]") }
            return try containerizer.startProcess(handle, request, id: self.id)
        }
        if detach {
            if output.json { print(JSONOutput.object(["id": JSON(id)])) } else { print(id) }
            return
        }
        // In the foreground the keeper runs the process too: killing this command (even with
        // kill -9) leaves the process running and attachable under its id.
        try AttachSession.run(containerizer, handle: handle, id: id, replay: true, json: output.json, tty: tty)
    }
}
