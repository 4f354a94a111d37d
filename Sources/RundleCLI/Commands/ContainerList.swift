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

    func run() throws {
        let containers = global.containerizer().list()
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
