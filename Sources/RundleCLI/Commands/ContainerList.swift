import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle list` (alias `ls`).
struct ContainerList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List containers.", aliases: ["ls"])

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: [.short, .long], help: "Print handles only.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Only containers with this property (repeatable: all must match).", valueName: "K=V"))
    var property: [String] = []

    func run() throws {
        let filters = try CLIErrors.reporting(json: output.json) { () throws(RundleError) -> [(String, String)] in
            var out: [(String, String)] = []
            for text in property { out.append(try ValueParsers.keyValue(text, flag: "--property")) }
            return out
        }
        let containers = global.containerizer().list().filter { info in
            filters.allSatisfy { info.record.spec.property($0.0) == $0.1 }
        }
        if output.json {
            print(JSON.array(containers.map { $0.json() }).serialized(pretty: true))
        } else if quiet {
            for c in containers { print(c.handle) }
        } else {
            var rows = [["HANDLE", "STATE", "PID", "CREATED", "ROOTFS"]]
            for c in containers {
                rows.append([c.handle, c.state, c.record.initPid.map { String($0) } ?? "-",
                             RFC3339Text.seconds(c.record.createdAtNanos), c.record.spec.rootfs])
            }
            print(Table.render(rows), terminator: "")
        }
    }
}
