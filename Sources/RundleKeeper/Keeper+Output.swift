import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Keeper {
    /// Reads what stream `index` has (within its read allowance) and appends it to its log.
    /// EOF (or EIO from a pty master whose slave is closed) ends the stream.
    func readStream(_ index: Int, now: ContinuousClock.Instant) {
        // A few reads per wake-up at most, so one chatty stream cannot starve the rest.
        for _ in 0..<4 {
            guard streams[index].isReadable else { return }
            let want = Int(min(UInt64(buffer.count), streams[index].state.readAllowance))
            let count: Int?
            do {
                count = try readAvailable(streams[index].fd, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            } catch {
                if error.errno != EIO { diagnostic("reading \(streams[index].stream): \(error)") }
                streams[index].close()
                return
            }
            guard let count else { return }
            if count == 0 {
                streams[index].close()
                return
            }
            streams[index].lastData = now
            append(index, UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes `bytes` to the log at the stream's end offset, then counts them. If the write
    /// fails, they are held in `unwritten` and the stream is not read until they are written.
    private func append(_ index: Int, _ bytes: UnsafeRawBufferPointer) {
        do {
            try writeFully(streams[index].logFD, at: streams[index].state.end, bytes)
        } catch {
            diagnostic("writing \(streams[index].logPath) failed (\(error)); retrying, the process waits meanwhile")
            streams[index].unwritten = Array(bytes)
            return
        }
        if streams[index].state.append(UInt64(bytes.count)) { reclaim(index) }
    }

    /// Retries log writes that failed earlier.
    func retryUnwritten() {
        for index in streams.indices where !streams[index].unwritten.isEmpty {
            let bytes = streams[index].unwritten
            streams[index].unwritten = []
            bytes.withUnsafeBytes { append(index, $0) }
        }
    }

    /// Some client acknowledged bytes of `stream` up to `through`.
    func acknowledge(_ stream: AttachStream, through: UInt64, client: KeeperClient) {
        guard let index = index(of: stream) else { return }
        // A client can only acknowledge what it was sent.
        let through = min(through, client.cursor[index])
        if streams[index].state.acknowledge(through: through, receivedFrom: client.receivedFrom[index]) {
            reclaim(index)
        }
    }

    /// The stream's start moved (old acknowledged bytes dropped). Once it has moved by
    /// `reclaimStep`, log.start is rewritten and the disk blocks before it are freed; in between
    /// the file still holds those bytes, so readers of an older log.start still read real data.
    func reclaim(_ index: Int) {
        let start = streams[index].state.start
        guard start >= persistedStarts[index] + KeeperLimits.reclaimStep else { return }
        persistLogStart()
    }

    /// Writes log.start ("<stdoutStart> <stderrStart>\n") when it changed, then punches holes.
    func persistLogStart() {
        var starts: [UInt64] = [0, 0]
        for index in streams.indices { starts[index] = streams[index].state.start }
        guard starts != persistedStarts else { return }
        do {
            try writeFileAtomically(layout.logStartPath, Array("\(starts[0]) \(starts[1])\n".utf8), mode: 0o644)
        } catch {
            diagnostic("writing \(layout.logStartPath): \(error)")
            return
        }
        persistedStarts = starts
        for index in streams.indices {
            let end = streams[index].state.reclaimableEnd(blockSize: streams[index].blockSize)
            guard end > streams[index].reclaimed else { continue }
            do {
                try punchHole(streams[index].logFD, offset: streams[index].reclaimed, length: end - streams[index].reclaimed)
                streams[index].reclaimed = end
            } catch {
                // EOPNOTSUPP on a filesystem without hole punching: the disk space stays used.
                diagnostic("freeing the start of \(streams[index].logPath): \(error)")
                streams[index].reclaimed = end
            }
        }
    }
}
