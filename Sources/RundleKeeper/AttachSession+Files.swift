import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension AttachSession {
    /// Writes what the log files hold past the offsets already written (all of what is kept on
    /// a first attach with replay; nothing new for `--no-replay`), stdout first, then stderr —
    /// the files do not record how the two streams interleaved. Then reports `record`, or
    /// `.keeperLost` without one.
    func replayFiles(then record: ExitRecord?) throws(OSError) -> AttachOutcome {
        let starts = logStarts()
        for (index, stream) in [AttachStream.stdout, .stderr].enumerated() {
            let fd: Int32
            do { fd = try openDescriptor(layout.logPath(stream), O_RDONLY) } catch where error.errno == ENOENT {
                continue
            }
            defer { closeDescriptor(fd) }
            let size = try fileSizeAndBlock(fd).size
            var offset = offsets[index] ?? (options.replay ? starts[index] : size)
            offset = max(offset, starts[index])
            try copy(fd, from: offset, to: size, stream: stream)
            if offset < size { offsets[index] = size }
        }
        guard let record, record.kind != .keeperLost else { return .keeperLost }
        return .exited(code: record.exitCode, message: record.error)
    }

    /// log.start: where each kept log begins ("<stdout> <stderr>\n"; absent = 0 0).
    private func logStarts() -> [UInt64] {
        guard let bytes = try? readFile(layout.logStartPath, limit: 256) else { return [0, 0] }
        let fields = bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
            .map { UInt64(String(decoding: $0, as: UTF8.self)) ?? 0 }
        return fields.count == 2 ? fields : [0, 0]
    }

    private func copy(_ source: Int32, from start: UInt64, to end: UInt64, stream: AttachStream) throws(OSError) {
        guard start < end else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var offset = start
        while offset < end {
            let want = Int(min(UInt64(buffer.count), end - offset))
            let got = try readFully(source, at: offset, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            if got == 0 { return }
            if try !write(stream, offset: offset, UnsafeRawBufferPointer(rebasing: buffer[0..<got])) { return }
            offset += UInt64(got)
        }
    }
}
