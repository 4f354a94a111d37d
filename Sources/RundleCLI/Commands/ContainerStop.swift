import ArgumentParser
import RundleCore

/// `rundle stop`: Garden's Stop.
struct ContainerStop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop every process of containers but their init (TERM, grace time, then KILL); no new process starts.",
        discussion: "The container, its init and its files stay: `rundle cp` still works; `rundle delete` removes it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Send KILL at once.")
    var kill = false

    @Option(name: [.short, .long], help: ArgumentHelp("Seconds to wait after TERM before KILL (default 10).", valueName: "seconds"))
    var time: Double = 10

    @Argument(help: "Handles of the containers.")
    var handles: [String]

    func validate() throws {
        if handles.isEmpty { throw ValidationError("give at least one handle") }
    }

    func run() throws {
        let containerizer = global.containerizer()
        try CLIErrors.forEachHandle(handles, json: output.json) { (handle) throws(RundleError) in
            guard time >= 0, time < 86_400 else {
                throw RundleError(.invalidArgument, "invalid --time \(time): expected seconds from 0 to 86400")
            }
            try containerizer.stop(handle, kill: kill, grace: .milliseconds(Int64(time * 1000)))
        }
    }
}
