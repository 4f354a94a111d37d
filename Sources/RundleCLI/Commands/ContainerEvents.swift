import ArgumentParser
import Glibc
import RundleCore
import RundleJSON

/// `rundle events`: a container's recorded events (OOM kills, reported as "Out of memory").
struct ContainerEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Show a container's events (OOM kills).",
        discussion: "OOM kills the kernel counted since the last look are recorded first, so an OOM that happened while no Rundle command ran is shown too. With --json: an array of {time, type, message, oomKillCount}; with --follow --json: one object per line. --follow polls every 250 ms until the container is deleted or its init exits (or SIGINT).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The container's handle.")
    var handle: String

    @Flag(name: .long, help: "Keep printing new events until the container is gone.")
    var follow = false

    func run() throws {
        let containerizer = global.containerizer()
        let events = try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            try containerizer.events(handle)
        }
        guard follow else {
            if output.json {
                print(JSON.array(events.map { $0.json() }).serialized(pretty: true))
            } else {
                for event in events { print(Self.line(event)) }
            }
            return
        }
        for event in events { emit(event) }
        var printed = events.count
        while true {
            // Running first: an OOM counted just before the init died is still reconciled below.
            let running: Bool
            let current: [ContainerEvent]
            do throws(RundleError) {
                running = try containerizer.isRunning(handle)
                current = try containerizer.events(handle)
            } catch {
                if error.code == .notFound { return }
                try CLIErrors.reporting(json: output.json) { () throws(RundleError) in throw error }
                return
            }
            for event in current.dropFirst(printed) { emit(event) }
            printed = max(printed, current.count)
            if !running { return }
            _ = poll(nil, 0, 250)
        }
    }

    private func emit(_ event: ContainerEvent) {
        print(output.json ? event.json().serialized() : Self.line(event))
        fflush(nil)
    }

    static func line(_ event: ContainerEvent) -> String {
        "\(RFC3339Text.seconds(event.timeNanos))  \(event.type)  \(event.message)"
    }
}
