import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle property set|get|rm|list`: Garden's properties, persisted in the depot.
struct ContainerProperty: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "property", abstract: "Set, get, remove or list a container's properties.",
        subcommands: [Set.self, Get.self, Remove.self, List.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a property.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument var handle: String
        @Argument var key: String
        @Argument var value: String
        func run() throws {
            try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
                try global.containerizer().setProperty(handle, key: key, value: value)
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a property's value.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument var handle: String
        @Argument var key: String
        func run() throws {
            let value = try CLIErrors.reporting(json: output.json) { () throws(RundleError) -> String in
                try Property.validateKey(key)
                guard let found = try global.containerizer().properties(handle).first(where: { $0.key == key }) else {
                    throw RundleError(.notFound, "container '\(handle)' has no property '\(key)'", handle: handle)
                }
                return found.value
            }
            if output.json { print(JSONOutput.object([key: JSON(value)])) } else { print(value) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a property.", aliases: ["remove"])
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument var handle: String
        @Argument var key: String
        func run() throws {
            try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
                try global.containerizer().removeProperty(handle, key: key)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List properties.", aliases: ["ls"])
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument var handle: String
        func run() throws {
            let properties = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
                try global.containerizer().properties(handle)
            }
            if output.json {
                var o = JSONObject()
                for p in properties { o[p.key] = JSON(p.value) }
                print(JSON.object(o).serialized(pretty: true))
            } else {
                for p in properties { print("\(p.key)=\(p.value)") }
            }
        }
    }
}
