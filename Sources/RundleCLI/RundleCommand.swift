import ArgumentParser
import Glibc
import RundleCore

/// The root of the command tree.
public struct RundleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rundle",
        abstract: "Script containers on a host that has runc (or crun).",
        discussion: "Global options (--depot, --runtime, --runtime-root, --init-path) go after the command name.",
        version: "0.1.0",
        subcommands: [ContainerCreate.self, ContainerExec.self, ProcessAttach.self, ProcessKill.self, ProcessList.self,
                      ContainerList.self, ContainerInspect.self, ContainerStop.self, ContainerDelete.self,
                      ContainerPause.self, ContainerResume.self, ContainerUpdate.self, ContainerStats.self,
                      ContainerEvents.self, ContainerCopy.self, ContainerProperty.self, ContainerGC.self, Serve.self])

    public init() {}

    /// Parses, runs, and exits with a code scripts can trust: usage errors are Rundle failures (125),
    /// so they can never be mistaken for a process's own exit code.
    public static func mainWithExitCodes() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(0)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch let error as RundleError {
            CLIErrors.report(error, json: CommandLine.arguments.contains("--json"))
            Glibc.exit(CLIErrors.exitCode(for: error))
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            let message = fullMessage(for: error)
            CLIErrors.writeStderr(message.hasPrefix("Error: ") ? "rundle: " + message.dropFirst(7) + "\n" : message + "\n")
            Glibc.exit(125)
        }
    }
}
