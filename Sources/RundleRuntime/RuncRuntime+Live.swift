import Glibc
import RundleOS

extension RuncRuntime {
    public func pause(id: String) throws(RuntimeError) {
        _ = try invoke("pause", ["pause", id], timeout: timeouts.kill)
    }

    public func resume(id: String) throws(RuntimeError) {
        _ = try invoke("resume", ["resume", id], timeout: timeouts.kill)
    }

    /// `update --resources /proc/self/fd/3`: runc and crun both take an OCI resources object
    /// that way, so one code path serves both (their per-limit flags differ).
    public func update(id: String, resourcesJSON: [UInt8]) throws(RuntimeError) {
        let fd: Int32
        do {
            let (readEnd, writeEnd) = try makePipe()
            defer { closeDescriptor(writeEnd) }
            try writeAll(writeEnd, resourcesJSON)
            fd = readEnd
        } catch {
            throw RuntimeError(kind: .launchFailed, verb: "update", message: "could not pass the resources: \(error)", runtimeName: name)
        }
        defer { closeDescriptor(fd) }
        _ = try invoke("update", ["update", "--resources", "/proc/self/fd/3", id], timeout: timeouts.kill, extraFiles: [fd])
    }
}
