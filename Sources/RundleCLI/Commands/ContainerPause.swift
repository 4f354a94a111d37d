import ArgumentParser
import RundleCore

/// `rundle pause` / `rundle resume`: freeze and thaw through the runtime.
struct ContainerPause: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Freeze every process of a container.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    func run() throws {
        try CLIErrors.reporting(json: output.json) { () throws(RundleError) in try global.containerizer().pause(handle) }
    }
}

struct ContainerResume: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Thaw a paused container.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    func run() throws {
        try CLIErrors.reporting(json: output.json) { () throws(RundleError) in try global.containerizer().resume(handle) }
    }
}
