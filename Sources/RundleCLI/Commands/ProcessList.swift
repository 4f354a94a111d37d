import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle ps`: the processes of a container.
struct ProcessList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List a container's processes.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    func run() throws {
        let list = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            try global.containerizer().processes(handle)
        }
        if output.json {
            print(JSON.array(list.map { $0.json() }).serialized(pretty: true))
            return
        }
        var rows = [["ID", "STATE", "PID", "COMMAND"]]
        for p in list {
            let state = p.state == "exited" ? "exited (\(p.exitCode ?? 0))" : p.state
            rows.append([p.id, state, p.pid.map { String($0) } ?? "-", p.args.joined(separator: " ")])
        }
        print(Table.render(rows), terminator: "")
    }
}
