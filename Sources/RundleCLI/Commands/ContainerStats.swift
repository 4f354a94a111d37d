import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle stats`: Garden's Metrics (memory, CPU, pids, age) read from the containers' cgroups.
struct ContainerStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show containers' memory, CPU and pid metrics.",
        discussion: "With --json: an array with one object per container (typed fields plus Garden's Metrics under \"garden\"). A failure for one handle is reported on stderr; the others are still shown, and the exit status is 125.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The containers' handles.")
    var handles: [String]

    func run() throws {
        let containerizer = global.containerizer()
        var results: [ContainerMetrics] = []
        var failures: [RundleError] = []
        for handle in handles {
            do throws(RundleError) { results.append(try containerizer.metrics(handle)) } catch { failures.append(error) }
        }
        if output.json {
            print(JSON.array(results.map { $0.json() }).serialized(pretty: true))
        } else if !results.isEmpty {
            var rows = [["HANDLE", "MEM USAGE", "MEM LIMIT", "MEM %", "CPU", "PIDS", "OOM KILLS", "AGE"]]
            for m in results { rows.append(Self.row(m)) }
            print(Table.render(rows), terminator: "")
        }
        try CLIErrors.reportAll(failures, json: output.json)
    }

    static func row(_ m: ContainerMetrics) -> [String] {
        let usage = m.memory.map { bytes($0.usageBytes) } ?? "-"
        let limit = m.memory.map { $0.limitBytes.map(bytes) ?? "unlimited" } ?? "-"
        var percent = "-"
        if let memory = m.memory, let limit = memory.limitBytes, limit > 0 {
            percent = fixed(Double(memory.usageBytes) * 100 / Double(limit)) + "%"
        }
        let cpu = m.cpu.map { fixed(Double($0.usageNanos) / 1e9) + "s" } ?? "-"
        let pids = m.pids.map { "\($0.current)" + ($0.limit.map { "/\($0)" } ?? "") } ?? "-"
        let ooms = m.oomKills.map(String.init) ?? "-"
        return [m.handle, usage, limit, percent, cpu, pids, ooms, fixed(Double(m.ageNanos) / 1e9) + "s"]
    }

    static func bytes(_ n: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n)B" : fixed(value) + units[unit]
    }

    /// Two decimals, without Foundation.
    static func fixed(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
