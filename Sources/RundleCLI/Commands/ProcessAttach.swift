import ArgumentParser
import RundleCore

/// `rundle attach`: reconnects to a process by id, also long after it exited.
struct ProcessAttach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Stream a process's output (from the start of what is kept), forward stdin; exit with its code.",
        discussion: "EOF on stdin closes the process's stdin. EXAMPLE: rundle attach web1 3f2a9c0d1e4b < /dev/null")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("no-replay"), help: "Live output only: skip what the process wrote before.")
    var noReplay = false

    @Argument(help: "The container's handle.")
    var handle: String

    @Argument(help: "The process id (from `rundle exec -d` or `rundle ps`).")
    var id: String

    func run() throws {
        let containerizer = global.containerizer()
        let info = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            guard let found = try containerizer.processes(handle).first(where: { $0.id == id }) else {
                throw RundleError(.notFound, "container '\(handle)' has no process '\(id)'", handle: handle)
            }
            return found
        }
        try AttachSession.run(containerizer, handle: handle, id: id, replay: !noReplay, json: output.json, tty: info.tty)
    }
}
