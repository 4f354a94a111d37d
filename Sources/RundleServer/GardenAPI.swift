import GardenProtocol
import Logging
import NIOCore
import RundleCore
import RundleJSON
import Synchronization

/// The Garden API over one Containerizer: each route as a blocking call that returns a reply.
/// Runs on the worker pool; the HTTP handler does the bytes.
final class GardenAPI: Sendable {
    let containerizer: Containerizer
    let configuration: ServerConfiguration
    let streams = StreamRegistry()
    let reaper: GraceReaper
    let oom: OOMWatcher
    let logger: Logger
    let eventLoops: any EventLoopGroup
    /// Handles being destroyed right now (a second destroy is refused, as Garden does).
    private let destroying = Mutex<Set<String>>([])

    var spoolDirectory: String { containerizer.config.depot + "/.garden/spool" }

    init(containerizer: Containerizer, configuration: ServerConfiguration, logger: Logger, eventLoops: any EventLoopGroup) {
        self.containerizer = containerizer
        self.configuration = configuration
        self.logger = logger
        self.eventLoops = eventLoops
        let reaperLogger = logger
        let box = ReaperTarget()
        self.reaper = GraceReaper(directory: containerizer.config.depot + "/.garden/grace", logger: reaperLogger) { handle in
            box.api?.reap(handle)
        }
        let watchContainerizer = containerizer
        let oomLogger = logger
        self.oom = OOMWatcher { handle in
            // Reconciling records the kill in events.jsonl (idempotent against the kernel's counter).
            do {
                let events = try watchContainerizer.events(handle)
                oomLogger.info("out of memory", metadata: ["handle": "\(handle)", "events": "\(events.count)"])
            } catch {
                oomLogger.warning("cannot record an OOM event", metadata: ["handle": "\(handle)", "error": "\(error)"])
            }
        }
        box.api = self
    }

    /// Answers one request (on a worker thread).
    func respond(to request: GardenRequest) -> GardenReply {
        do {
            return try route(request)
        } catch {
            return .error(error)
        }
    }

    private func route(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        switch request.route {
        case .ping: return .empty
        case .capacity: return .json(capacity().json())
        case .list: return try list(request)
        case .create: return try create(request)
        case .destroy: return try destroy(request.param("handle"))
        case .bulkInfo: return bulkInfo(request)
        case .bulkMetrics: return bulkMetrics(request)
        case .stdout: return .processOutput(streams.session(streamID: request.param("streamid"))?.stdout)
        case .stderr: return .processOutput(streams.session(streamID: request.param("streamid"))?.stderr)
        case .run: return try run(request)
        case .attach: return try attach(request)
        case .setGraceTime: return try setGraceTime(request)
        default:
            // Every other route is about one container and counts as its use (grace time).
            let handle = request.param("handle")
            return try using(handle) { () throws(GardenError) in try containerRoute(request, handle: handle) }
        }
    }

    private func containerRoute(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        switch request.route {
        case .info: return try .json(info(handle).json())
        case .metrics: return try .json(metrics(handle))
        case .stop: return try stop(request, handle: handle)
        case .streamIn: return try streamIn(request, handle: handle)
        case .streamOut: return try streamOut(request, handle: handle)
        case .currentMemoryLimits, .currentCPULimits, .currentDiskLimits, .currentBandwidthLimits:
            return try limits(request.route, handle: handle)
        case .netIn: return try netIn(request, handle: handle)
        case .netOut, .bulkNetOut: return try netOut(request, handle: handle)
        case .properties, .property, .setProperty, .removeProperty: return try properties(request, handle: handle)
        default: throw GardenError.generic("route \(request.route.rawValue) is not handled")
        }
    }

    /// Runs `body` with the container's grace clock paused; unknown handles are 404 first.
    /// (A JSON body is decoded before this, so a bad body is reported before a bad handle, as Garden does.)
    func using<T>(_ handle: String, _ body: () throws(GardenError) -> T) throws(GardenError) -> T {
        try requireContainer(handle)
        reaper.pause(handle)
        defer { reaper.resume(handle) }
        return try body()
    }

    /// 404 unless the container exists (and is not being torn down by a half-made create).
    func requireContainer(_ handle: String) throws(GardenError) {
        do { try Handle.validate(handle) } catch { throw GardenError.containerNotFound(handle) }
        guard containerizer.depot.exists(handle) else { throw GardenError.containerNotFound(handle) }
    }

    /// The grace clock ran out.
    func reap(_ handle: String) {
        logger.info("grace time expired: destroying", metadata: ["handle": "\(handle)"])
        do {
            _ = try destroy(handle)
        } catch {
            logger.warning("cannot destroy an expired container", metadata: ["handle": "\(handle)", "error": "\(error)"])
        }
    }

    func destroy(_ handle: String) throws(GardenError) -> GardenReply {
        try requireContainer(handle)
        let first = destroying.withLock { $0.insert(handle).inserted }
        guard first else { throw GardenError.generic("container already being destroyed") }
        defer { _ = destroying.withLock { $0.remove(handle) } }
        reaper.cancel(handle)
        oom.unwatch(handle: handle)
        do {
            try containerizer.destroy(handle)
        } catch {
            throw GardenError.from(error, handle: handle)
        }
        return .empty
    }
}

/// Lets the reaper call back into the API it is part of.
private final class ReaperTarget: @unchecked Sendable {
    // Set once in GardenAPI.init before any timer can fire.
    weak var api: GardenAPI?
}
