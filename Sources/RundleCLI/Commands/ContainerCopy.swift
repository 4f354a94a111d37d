import ArgumentParser
import Glibc
import RundleCore
import RundleJSON
import RundleOS

/// `rundle cp`: Garden's StreamIn/StreamOut with docker cp's syntax.
struct ContainerCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy files between a container and the host (tar streams with -).",
        discussion: """
            rundle cp - HANDLE:DIR [-u USER] < archive.tar   extract a tar stream into DIR (created \
            when missing; relative to the user's home when relative), owned by USER (default root).
            rundle cp HANDLE:PATH - > archive.tar            a tar stream of PATH (a file, or a \
            directory as its top member; PATH ending in / gives ./ members).
            rundle cp HOSTPATH HANDLE:DEST / rundle cp HANDLE:PATH HOSTDEST   copy with docker cp's \
            rules (DEST an existing directory: copied inside it; missing: created; SRC/. copies a \
            directory's contents).
            Works in running and stopped containers without running anything inside them. Archive \
            members that lead outside DIR (.., symlinks out of it, absolute hard links), devices \
            and fifos refuse the archive (exit 125) and what was extracted is removed again.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Owner of copied-in files, from the container's /etc/passwd.", valueName: "name|uid[:gid]"))
    var user: String?

    @Argument(help: ArgumentHelp("Source: -, a host path or HANDLE:PATH.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("Destination: -, a host path or HANDLE:PATH.", valueName: "destination"))
    var destination: String

    /// `HANDLE:PATH` when the part before the first ":" holds no "/" (write ./a:b for a host path).
    static func containerPath(_ argument: String) -> (handle: String, path: String)? {
        guard let colon = argument.firstIndex(of: ":") else { return nil }
        let handle = argument[..<colon]
        guard !handle.isEmpty, !handle.contains("/") else { return nil }
        return (String(handle), String(argument[argument.index(after: colon)...]))
    }

    func run() throws {
        let containerizer = global.containerizer()
        try CLIErrors.reporting(json: output.json) { () throws(RundleError) in
            let from = Self.containerPath(source)
            let to = Self.containerPath(destination)
            switch (from, to) {
            case (nil, let to?):
                if source == "-" {
                    try containerizer.streamIn(to.handle, destination: to.path, user: user, from: 0)
                } else {
                    try containerizer.copyIn(to.handle, hostPath: source, destination: to.path, user: user)
                }
            case (let from?, nil):
                if user != nil { throw RundleError(.invalidArgument, "-u applies only when copying into a container") }
                if destination == "-" {
                    try containerizer.streamOut(from.handle, path: from.path, to: 1)
                } else {
                    try containerizer.copyOut(from.handle, path: from.path, hostPath: destination)
                }
            case (.some, .some):
                throw RundleError(.invalidArgument, "copying between two containers is not supported")
            case (nil, nil):
                throw RundleError(.invalidArgument, "one of source and destination must be HANDLE:PATH")
            }
        }
    }
}
