import RundleOS
import RundleRuntime

extension Containerizer {
    /// Garden's Info: the record plus (with `askRuntime`, one runtime call) the runtime's own view
    /// of the container; the daemon leaves the runtime out, Garden's Info has no field for it.
    public func info(_ handle: String, askRuntime: Bool = true) throws(RundleError) -> ContainerInfo {
        try Handle.validate(handle)
        guard depot.exists(handle) else { throw notFound(handle) }
        let record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound {
            throw RundleError(.notFound, "container '\(handle)' is half-created (an interrupted create); `rundle gc` removes it", handle: handle)
        }
        var info = summary(record)
        if record.status != .creating {
            if askRuntime {
                info.runtimeStatus = (try? runtime(for: record).state(id: handle))?.status
                if info.runtimeStatus == "paused" { info.state = "paused" }
            }
            info.processIDs = ((try? processes(handle)) ?? []).filter { $0.state == "running" }.map(\.id)
            // Looking at a container records any OOM kill the kernel counted since the last look.
            info.events = (try? events(handle)) ?? []
        }
        return info
    }

    /// Every container, cheaply (no runtime call per container). A half-made one whose creator is
    /// gone is cleaned on the way; one still being created is listed as `creating`.
    public func list() -> [ContainerInfo] {
        var out: [ContainerInfo] = []
        for handle in depot.handles() {
            if let record = try? depot.readRecord(handle), record.status != .creating {
                out.append(summary(record))
                continue
            }
            if collectIfAbandoned(handle) { continue }
            if let record = try? depot.readRecord(handle) { out.append(summary(record)) }
        }
        return out
    }

    func summary(_ record: ContainerRecord) -> ContainerInfo {
        let layout = depot.layout(record.handle)
        let state: String
        switch record.status {
        case .creating: state = "creating"
        case .stopped: state = "stopped"
        case .created: state = initAlive(record) ? "running" : "exited"
        }
        return ContainerInfo(state: state, record: record, bundlePath: layout.containerDir, rootfsPath: layout.rootfs)
    }
}
