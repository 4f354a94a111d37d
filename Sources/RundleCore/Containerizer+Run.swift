import Glibc
import RundleJSON
import RundleOS
import RundleRuntime

extension Containerizer {
    /// Garden's Run in the foreground: runs a process in the container with the given stdio and
    /// returns its exit status (a non-zero exit is a result, not an error).
    public func run(_ handle: String, _ request: ProcessRequest, stdio: ProcessStdio = .inherit) throws(RundleError) -> ExitStatus {
        let record = try runnableRecord(handle)
        let layout = depot.layout(handle)
        let process = try processSpec(record: record, layout: layout, request: request)
        do {
            return try runtime(for: record).exec(id: handle, ExecOptions(processJSON: process.serializedBytes()).with(stdio: stdio))
        } catch {
            throw wrap(error, handle: handle)
        }
    }

    /// The record of a container that can run processes now, or a clear reason why not.
    func runnableRecord(_ handle: String) throws(RundleError) -> ContainerRecord {
        try Handle.validate(handle)
        let record: ContainerRecord
        do { record = try depot.readRecord(handle) } catch where error.code == .notFound {
            throw notFound(handle)
        }
        switch record.status {
        case .creating:
            throw RundleError(.invalidState, "container '\(handle)' is still being created (or its create was interrupted: run `rundle gc`)", handle: handle)
        case .stopped:
            throw RundleError(.invalidState, "container '\(handle)' is stopped: it runs no new processes", handle: handle)
        case .created:
            guard initAlive(record) else {
                throw RundleError(.invalidState, "container '\(handle)' is not running: its init has exited", handle: handle)
            }
        }
        return record
    }

    /// The OCI process object for a request: the container's own process as the base, the user
    /// resolved from the container's /etc/passwd and /etc/group (read inside its root).
    func processSpec(record: ContainerRecord, layout: DepotLayout, request: ProcessRequest) throws(RundleError) -> JSON {
        if let cwd = request.cwd, !cwd.hasPrefix("/") {
            throw RundleError(.invalidArgument, "working directory '\(cwd)' must be an absolute path", handle: record.handle)
        }
        let passwd = String(decoding: (try? readFileInRoot(root: layout.rootfs, path: "/etc/passwd")) ?? [], as: UTF8.self)
        let group = String(decoding: (try? readFileInRoot(root: layout.rootfs, path: "/etc/group")) ?? [], as: UTF8.self)
        var user = try UserResolver.resolve(request.user ?? "0", passwd: passwd, group: group)
        if request.user == nil, user.name == nil { user.home = "/root" }

        let cwd = request.cwd ?? (directoryExistsInRoot(root: layout.rootfs, path: user.home) ? user.home : "/")
        let config: JSON
        do {
            config = try JSON.parse(try readFile(layout.configJSON, limit: 4 << 20))
        } catch {
            throw RundleError(.internal, "cannot read the bundle \(layout.configJSON)", handle: record.handle)
        }
        return try ProcessSpecBuilder.build(base: config["process"], request: request, user: user, cwd: cwd)
    }
}

extension ExecOptions {
    func with(stdio: ProcessStdio) -> ExecOptions {
        var copy = self
        copy.stdio = stdio
        return copy
    }
}
