import ArgumentParser
import RundleCore

/// `rundle create`: makes a container and starts its no-op init; prints the handle.
struct ContainerCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a container and start its no-op init; print its handle.",
        discussion: "EXAMPLE: rundle create web1 --rootfs /srv/rootfs/busybox --memory 64M --env A=1 --bind /data:/data:ro")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle (generated when omitted).")
    var handle: String?

    @Option(name: .long, help: ArgumentHelp("Base root filesystem directory (shared, never modified).", valueName: "path"))
    var rootfs: String

    @Option(name: [.short, .long], help: ArgumentHelp("Environment entry for every process.", valueName: "K=V"))
    var env: [String] = []

    @Option(name: [.customLong("bind"), .customLong("volume"), .customShort("v")], help: ArgumentHelp("Bind mount.", valueName: "SRC:DST[:ro|rw]"))
    var bind: [String] = []

    @OptionGroup var limitOptions: LimitOptions

    @Option(name: .long, help: ArgumentHelp("A property stored with the container.", valueName: "K=V"))
    var property: [String] = []

    @Flag(name: .long, help: "Share the host's user namespace (root in the container is root on the host).")
    var privileged = false

    func run() throws {
        try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            let spec = try containerSpec()
            let handle = try global.containerizer().create(spec)
            if output.json {
                print(JSONOutput.object(["handle": .string(handle)]))
            } else {
                print(handle)
            }
        }
    }

    func containerSpec() throws(RundleError) -> ContainerSpec {
        if handle?.isEmpty == true { throw RundleError(.invalidArgument, "invalid handle: it is empty") }
        var spec = ContainerSpec(handle: handle ?? Handle.generate(), rootfs: absolute(rootfs))
        for entry in env { _ = try ValueParsers.keyValue(entry, flag: "--env") }
        spec.env = env
        var mounts: [BindMount] = []
        for text in bind { mounts.append(try ValueParsers.bind(text)) }
        spec.bindMounts = mounts
        spec.limits = try limitOptions.limits()
        var properties: [Property] = []
        for text in property {
            let (key, value) = try ValueParsers.keyValue(text, flag: "--property")
            try Property.validateKey(key)
            properties.append(Property(key: key, value: value))
        }
        spec.properties = properties
        spec.privileged = privileged
        return spec
    }
}
