import ArgumentParser
import Glibc
import Logging
import RundleCore
import RundleOS
import RundleServer

/// `rundle serve`: the Garden HTTP API daemon over the same depot as the CLI.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the Garden HTTP API (unix socket and/or TCP).",
        discussion: """
        Existing Garden clients (the Go client, gaol, Concourse, Diego) work unchanged. On start it \
        re-adopts every container and process of the depot; SIGTERM or SIGINT stops the server and \
        leaves every container and process running. Logs go to stderr, one line per request.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("listen"), help: ArgumentHelp("unix:///path or tcp://host:port; repeatable (default unix://\(ServerConfiguration.defaultSocketPath)).", valueName: "address"))
    var listen: [String] = []

    @Option(name: .customLong("socket-group"), help: ArgumentHelp("Group allowed to use the unix sockets (mode 0660 instead of 0600).", valueName: "group"))
    var socketGroup: String?

    @Option(name: .customLong("default-rootfs"), help: ArgumentHelp("Rootfs of containers created without one.", valueName: "path"))
    var defaultRootfs: String?

    @Option(name: .customLong("default-grace-time"), help: ArgumentHelp("Grace time of containers created without one, Go syntax (5m, 30s); 0 = never reaped.", valueName: "duration"))
    var defaultGraceTime = "0"

    @Option(name: .customLong("max-body-bytes"), help: ArgumentHelp("Largest JSON request body.", valueName: "bytes"))
    var maxBodyBytes = 1 << 20

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func run() throws {
        var configuration = ServerConfiguration()
        if !listen.isEmpty {
            configuration.listen = []
            for text in listen {
                do { configuration.listen.append(try ListenAddress(parsing: text)) } catch { throw ValidationError(error.message) }
            }
        }
        guard let grace = GoDuration.parse(defaultGraceTime) else {
            throw ValidationError("--default-grace-time: '\(defaultGraceTime)' is not a duration (5m, 30s, 0)")
        }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        if let defaultRootfs, !defaultRootfs.hasPrefix("/") {
            throw ValidationError("--default-rootfs: '\(defaultRootfs)' must be an absolute path")
        }
        if let defaultRootfs, !isDirectory(defaultRootfs) {
            throw ValidationError("--default-rootfs: '\(defaultRootfs)' is not a directory")
        }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        configuration.defaultGraceTimeNanos = grace
        configuration.defaultRootfs = defaultRootfs
        configuration.socketGroup = socketGroup
        configuration.maxBodyBytes = maxBodyBytes

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "rundle.serve")
        // Before any thread exists, so every thread inherits the blocked mask and the signals
        // arrive on this descriptor only. A client gone mid-write must not kill the daemon.
        let signals = try SignalDescriptor([SIGTERM, SIGINT])
        try ignoreSignal(SIGPIPE)

        let server = GardenServer(containerizer: global.containerizer(), configuration: configuration, logger: logger)
        do {
            try server.start()
        } catch {
            server.shutdown()
            throw RundleError(.unavailable, "cannot start the server: \(error)")
        }
        var entry = pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&entry, 1, -1) > 0, let received = try? signals.drain(), !received.isEmpty {
                logger.info("stopping: containers and processes keep running", metadata: ["signal": "\(received[0])"])
                break
            }
        }
        server.shutdown()
        _ = consume signals
    }
}
