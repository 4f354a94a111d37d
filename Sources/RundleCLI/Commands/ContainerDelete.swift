import ArgumentParser
import RundleCore

/// `rundle delete` (aliases `rm`, `destroy`): Garden's Destroy.
struct ContainerDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Kill every process of containers and remove them.", aliases: ["rm", "destroy"])

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Handles of the containers.")
    var handles: [String]

    func validate() throws {
        if handles.isEmpty { throw ValidationError("give at least one handle") }
    }

    func run() throws {
        let containerizer = global.containerizer()
        try CLIErrors.forEachHandle(handles, json: output.json) { (handle) throws(RundleError) in
            try containerizer.destroy(handle)
        }
    }
}
