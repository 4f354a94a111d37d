import Glibc
import NIOCore
import NIOHTTP1
import RundleCore
import RundleOS
import Synchronization

/// A stream-out in progress: `Containerizer.streamOut` writes the tar into a pipe on one thread;
/// the reply forwards the pipe to the connection, chunk by chunk, as the socket takes them.
final class StreamOutJob: Sendable {
    private let readFD: Int32
    private let result = Mutex<Result<Void, RundleError>?>(nil)
    private let done: EventFD
    /// What was read to find out whether the producer failed before writing anything.
    private let firstChunk = Mutex<[UInt8]>([])

    private init(readFD: Int32, done: EventFD) {
        self.readFD = readFD
        self.done = done
    }

    static func start(containerizer: Containerizer, handle: String, path: String) throws(OSError) -> StreamOutJob {
        let pipe = try makePipe()
        let job = StreamOutJob(readFD: pipe.read, done: try EventFD())
        let started = startThread {
            let outcome = Result { () throws(RundleError) in try containerizer.streamOut(handle, path: path, to: pipe.write) }
            closeDescriptor(pipe.write)
            job.result.withLock { $0 = outcome }
            job.done.signal()
        }
        guard started else {
            closeDescriptor(pipe.read)
            closeDescriptor(pipe.write)
            throw OSError(errno: EAGAIN, call: "pthread_create")
        }
        return job
    }

    /// Blocks until the tar's first bytes or the producer's end; the error if it failed with no output.
    func failedBeforeOutput() -> RundleError? {
        let chunk = readChunk()
        if chunk.isEmpty {
            waitForResult()
            if case .failure(let error) = result.withLock({ $0 }) {
                closeDescriptor(readFD)
                return error
            }
        }
        firstChunk.withLock { $0 = chunk }
        return nil
    }

    /// Forwards the tar to the channel (whose response head is sent) on a thread of its own.
    func start(channel: Channel, keepAlive: Bool) {
        let started = startThread { [self] in
            var chunk = firstChunk.withLock { $0 }
            var ok = true
            while !chunk.isEmpty {
                let part = HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: chunk)))
                do { try channel.writeAndFlush(part).wait() } catch { ok = false; break }
                chunk = readChunk()
            }
            closeDescriptor(readFD)
            waitForResult()
            let failed: Bool
            if case .failure = result.withLock({ $0 }) { failed = true } else { failed = false }
            if ok && !failed {
                let end = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
                if keepAlive {
                    end.whenComplete { _ in _ = channel.setOption(ChannelOptions.autoRead, value: true) }
                } else {
                    end.whenComplete { _ in channel.close(promise: nil) }
                }
            } else {
                // Mid-stream failure: the client sees a cut stream, as Garden's does.
                channel.close(promise: nil)
            }
        }
        if !started { channel.close(promise: nil) }
    }

    private func waitForResult() {
        while result.withLock({ $0 == nil }) { done.wait(.seconds(1)) }
    }

    private func readChunk() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno == EINTR { continue }
            return []
        }
    }
}
