import ArgumentParser
import RundleCore
import RundleOS

/// `rundle kill`: signals one process of a container.
struct ProcessKill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill", abstract: "Send a signal to a process (TERM by default).",
        discussion: "Signals as runc takes them: 9, KILL or SIGKILL. EXAMPLE: rundle kill web1 3f2a9c0d1e4b HUP")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    @Argument(help: "The process id.")
    var id: String

    @Argument(help: "The signal.")
    var signal: String = "TERM"

    func run() throws {
        try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            guard let number = parseSignal(signal) else {
                throw RundleError(.invalidArgument, "unknown signal '\(signal)'")
            }
            try global.containerizer().signalProcess(handle, processID: id, signal: number)
        }
    }
}
