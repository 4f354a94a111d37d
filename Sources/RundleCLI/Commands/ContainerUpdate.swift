import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle update`: live limits through `runtime update`; with no flag, prints the limits.
struct ContainerUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a running container's limits, or print them.",
        discussion: "EXAMPLE: rundle update web1 --memory 128M --pids 200")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var limitOptions: LimitOptions

    @Argument(help: "The container's handle.")
    var handle: String

    func run() throws {
        let limits = try CLIErrors.reporting(json: output.json) { () throws(RundleError) -> ResourceLimits in
            let containerizer = global.containerizer()
            let change = try limitOptions.limits()
            if change == ResourceLimits() { return try containerizer.limits(handle) }
            return try containerizer.updateLimits(handle, change)
        }
        var o = JSON.object(JSONObject())
        if let v = limits.memoryBytes { o["memoryBytes"] = JSON(v) }
        if let v = limits.cpuShares { o["cpuShares"] = JSON(v) }
        if let v = limits.cpuQuota { o["cpuQuota"] = JSON(v) }
        if let v = limits.cpuPeriod { o["cpuPeriod"] = JSON(v) }
        if let v = limits.pids { o["pids"] = JSON(v) }
        if output.json {
            print(o.serialized(pretty: true))
        } else {
            let rows: [[String]] = [
                ["memory:", limits.memoryBytes.map { String($0) } ?? "unlimited"],
                ["cpu shares:", limits.cpuShares.map { String($0) } ?? "-"],
                ["cpu quota:", limits.cpuQuota.map { "\($0) µs per \(limits.cpuPeriod ?? 100_000) µs" } ?? "unlimited"],
                ["pids:", limits.pids.map { String($0) } ?? "unlimited"],
            ]
            print(Table.render(rows), terminator: "")
        }
    }
}
