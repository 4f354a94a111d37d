import ArgumentParser
import RundleCore
import RundleJSON

/// `rundle gc`: cleans what interrupted commands left behind.
struct ContainerGC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove half-created containers, orphaned runtime state and stale locks.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = global.containerizer().gc()
        if output.json {
            print(JSONOutput.object([
                "removed": JSON(report.removed), "runtimeOrphans": JSON(report.runtimeOrphans),
                "staleLocks": JSON(report.staleLocks), "lostProcesses": JSON(report.lostProcesses),
                "errors": JSON(report.errors),
            ]))
        } else {
            for h in report.removed { print("removed half-created container \(h)") }
            for h in report.runtimeOrphans { print("removed runtime container without depot entry \(h)") }
            for h in report.staleLocks { print("removed stale lock \(h)") }
            for p in report.lostProcesses { print("process \(p) lost its keeper: killed and recorded") }
        }
        let failures = report.errors.map { RundleError(.internal, $0) }
        if !output.json || failures.isEmpty { try CLIErrors.reportAll(failures, json: false) } else { throw ExitCode(125) }
    }
}
