import GardenProtocol
import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import RundleCore
import RundleOS
import Synchronization

/// `rundle serve`: the Garden HTTP API on unix sockets and TCP, over the same Containerizer
/// (and depot) the CLI uses. Stopping it leaves every container and process running.
public final class GardenServer: Sendable {
    private let api: GardenAPI
    private let group: MultiThreadedEventLoopGroup
    private let workers: NIOThreadPool
    private let logger: Logger
    private let configuration: ServerConfiguration
    private let listeners = Mutex<[Channel]>([])

    public init(containerizer: Containerizer, configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        workers = NIOThreadPool(numberOfThreads: configuration.workerThreads)
        api = GardenAPI(containerizer: containerizer, configuration: configuration, logger: logger, eventLoops: group)
    }

    /// Re-adopts the depot, then listens. Returns what it re-adopted.
    @discardableResult
    public func start() throws -> Readoption {
        workers.start()
        let readoption = readopt()
        api.reaper.run()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 512)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [api, workers, logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
                                            name: GardenHTTPHandler.decoderName)
                    try pipeline.addHandler(HTTPResponseEncoder(), name: GardenHTTPHandler.encoderName)
                    try pipeline.addHandler(GardenHTTPHandler(api: api, workers: workers, logger: logger))
                }
            }
        for address in configuration.listen {
            let channel: Channel
            switch address {
            case .unix(let path):
                if !isDirectory(dirname(path)) { try makeDirectories(dirname(path), mode: 0o755) }
                // Born private: no moment where another user could connect.
                let old = umask(0o177)
                defer { umask(old) }
                channel = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
                try restrictSocket(path)
            case .tcp(let host, let port):
                channel = try bootstrap.bind(host: host, port: port).wait()
            }
            listeners.withLock { $0.append(channel) }
            logger.info("listening", metadata: ["address": "\(boundDescription(address, channel))"])
        }
        return readoption
    }

    /// The addresses actually bound (a TCP port 0 becomes the one the kernel chose).
    public var boundAddresses: [ListenAddress] {
        listeners.withLock { channels in
            zip(configuration.listen, channels).map { address, channel in
                if case .tcp(let host, _) = address, let port = channel.localAddress?.port { return .tcp(host: host, port: port) }
                return address
            }
        }
    }

    /// Stops listening; containers, keepers and processes run on. The event loops are left to
    /// the process's exit: stream threads may still be writing to their clients, and a loop shut
    /// under them would only turn those writes into errors (the clients see the connection end).
    public func shutdown() {
        api.reaper.stop()
        api.oom.stop()
        let channels = listeners.withLock { channels -> [Channel] in defer { channels = [] }; return channels }
        for channel in channels {
            let path = channel.localAddress?.pathname
            try? channel.close().wait()
            if let path { _ = unlink(path) }
        }
    }

    /// Blocks until every listener is closed.
    public func wait() {
        for channel in listeners.withLock({ $0 }) { try? channel.closeFuture.wait() }
    }

    // MARK: start-up

    /// What start-up found in the depot.
    public struct Readoption: Sendable {
        public var containers = 0
        public var runningProcesses = 0
        public var oomWatches = 0
        public var duration: Duration = .zero
    }

    /// Every container and process in the depot is the daemon's again: half-made containers are
    /// cleaned (`list`), grace clocks reloaded, OOM watches re-armed and kills missed while no
    /// daemon ran recorded. Keepers need nothing: they never depended on a daemon.
    private func readopt() -> Readoption {
        let started = ContinuousClock.now
        var result = Readoption()
        let containers = api.containerizer.list()
        api.reaper.load(existing: containers.map(\.handle))
        for info in containers where info.state != "creating" {
            result.containers += 1
            _ = try? api.containerizer.events(info.handle)
            if info.state == "running" {
                api.watchOOM(info.handle)
                if api.oom.watchedHandles.contains(info.handle) { result.oomWatches += 1 }
            }
            result.runningProcesses += ((try? api.containerizer.processes(info.handle)) ?? []).filter { $0.state == "running" }.count
        }
        result.duration = ContinuousClock.now - started
        logger.info("re-adopted the depot", metadata: [
            "containers": "\(result.containers)", "running_processes": "\(result.runningProcesses)",
            "oom_watches": "\(result.oomWatches)", "duration": "\(result.duration)",
        ])
        return result
    }

    private func restrictSocket(_ path: String) throws {
        guard let group = configuration.socketGroup else {
            if chmod(path, 0o600) != 0 { throw OSError(errno: errno, call: "chmod", path: path) }
            return
        }
        let gid: gid_t
        if let numeric = gid_t(group) {
            gid = numeric
        } else if let entry = getgrnam(group) {
            gid = entry.pointee.gr_gid
        } else {
            throw ServerSetupError("--socket-group: no group '\(group)'")
        }
        if chown(path, uid_t.max, gid) != 0 { throw OSError(errno: errno, call: "chown", path: path) }
        if chmod(path, 0o660) != 0 { throw OSError(errno: errno, call: "chmod", path: path) }
    }

    private func boundDescription(_ address: ListenAddress, _ channel: Channel) -> String {
        if case .tcp(let host, _) = address, let port = channel.localAddress?.port {
            return ListenAddress.tcp(host: host, port: port).description
        }
        return address.description
    }

    private func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
