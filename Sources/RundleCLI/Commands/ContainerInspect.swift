import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle inspect` (alias `info`): Garden's Info.
struct ContainerInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a container's state and spec.", aliases: ["info"])

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    func run() throws {
        let info = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            try global.containerizer().info(handle)
        }
        if output.json {
            print(info.json().serialized(pretty: true))
            return
        }
        let spec = info.record.spec
        var lines: [(String, String)] = [
            ("handle", info.handle), ("state", info.state),
            ("runtime status", info.runtimeStatus ?? "-"),
            ("init pid", info.record.initPid.map { String($0) } ?? "-"),
            ("created", RFC3339Text.seconds(info.record.createdAtNanos)),
            ("privileged", spec.privileged ? "yes" : "no"),
            ("base rootfs", spec.rootfs), ("rootfs", info.rootfsPath), ("bundle", info.bundlePath),
            ("runtime", "\(info.record.runtime) (root \(info.record.runtimeRoot))"),
        ]
        if let m = spec.limits.memoryBytes { lines.append(("memory limit", String(m))) }
        if let c = spec.limits.cpuShares { lines.append(("cpu shares", String(c))) }
        if let q = spec.limits.cpuQuota { lines.append(("cpu quota", String(q))) }
        if let p = spec.limits.pids { lines.append(("pids limit", String(p))) }
        for b in spec.bindMounts { lines.append(("bind", "\(b.source):\(b.destination):\(b.readOnly ? "ro" : "rw")")) }
        for e in spec.env { lines.append(("env", e)) }
        for p in spec.properties { lines.append(("property", "\(p.key)=\(p.value)")) }
        for id in info.processIDs { lines.append(("process", id)) }
        for event in info.events { lines.append(("event", "\(ContainerInfo.formatTime(event.timeNanos)) \(event.message)")) }
        print(Table.render(lines.map { [$0.0 + ":", $0.1] }), terminator: "")
    }
}
