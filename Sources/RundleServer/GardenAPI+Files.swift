import GardenProtocol
import Glibc
import RundleCore
import RundleOS

extension GardenAPI {
    /// Stream-in: the spooled tar, extracted at `destination` as `user` (root when empty).
    func streamIn(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        guard let path = request.spoolPath else { throw GardenError.generic("error streaming in: no body") }
        let destination = request.queryValue("destination") ?? ""
        let user = request.queryValue("user").flatMap { $0.isEmpty ? nil : $0 }
        let fd: Int32
        do { fd = try openDescriptor(path, O_RDONLY) } catch {
            throw GardenError.generic("error streaming in: \(error)")
        }
        defer { closeDescriptor(fd) }
        do {
            try containerizer.streamIn(handle, destination: destination.isEmpty ? "." : destination, user: user, from: fd)
        } catch {
            if error.code == .notFound, !containerizer.depot.exists(handle) { throw GardenError.containerNotFound(handle) }
            throw GardenError.generic("error streaming in: \(error)")
        }
        return .empty
    }

    /// Stream-out: the tar is produced on a thread into a pipe; an error before its first byte is
    /// an ordinary error reply, a later one cuts the stream (Garden's contract).
    func streamOut(_ request: GardenRequest, handle: String) throws(GardenError) -> GardenReply {
        let source = request.queryValue("source") ?? ""
        guard !source.isEmpty else { throw GardenError.generic("error streaming out: no source given") }
        let job: StreamOutJob
        do {
            job = try StreamOutJob.start(containerizer: containerizer, handle: handle, path: source)
        } catch {
            throw GardenError.generic("error streaming out: \(error)")
        }
        if let failure = job.failedBeforeOutput() {
            if failure.code == .notFound, !containerizer.depot.exists(handle) { throw GardenError.containerNotFound(handle) }
            throw GardenError.generic("error streaming out: \(failure)")
        }
        return .tar(job)
    }
}
