import ArgumentParser
import RundleCore

/// The resource-limit flags `create` and `update` share, parsed into `ResourceLimits`.
struct LimitOptions: ParsableArguments {
    @Option(name: [.customLong("memory"), .customShort("m")], help: ArgumentHelp("Memory limit, e.g. 64M (swap limited to the same).", valueName: "size"))
    var memory: String?

    @Option(name: .customLong("cpu-shares"), help: ArgumentHelp("CPU shares.", valueName: "n"))
    var cpuShares: String?

    @Option(name: .customLong("cpu-quota"), help: ArgumentHelp("CPU quota in µs per period (100 ms unless set).", valueName: "us"))
    var cpuQuota: String?

    @Option(name: .customLong("pids"), help: ArgumentHelp("Maximum number of processes.", valueName: "n"))
    var pids: String?

    /// Only the limits given on the command line are set.
    func limits() throws(RundleError) -> ResourceLimits {
        var limits = ResourceLimits()
        if let memory { limits.memoryBytes = try ValueParsers.size(memory, flag: "--memory") }
        if let cpuShares { limits.cpuShares = try ValueParsers.unsigned(cpuShares, flag: "--cpu-shares") }
        if let cpuQuota { limits.cpuQuota = try ValueParsers.signed(cpuQuota, flag: "--cpu-quota") }
        if let pids { limits.pids = try ValueParsers.signed(pids, flag: "--pids") }
        return limits
    }
}
