import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One `attach` call: connects (and reconnects) to the keeper, or replays the files.
final class AttachSession {
    enum Conversation {
        case exited(code: Int32, message: String?)
        /// The exit frame said the status is lost.
        case lost
        case disconnected
    }

    let layout: ProcessDirLayout
    let options: AttachOptions
    /// Per stream (0 stdout, 1 stderr): the offset after the last byte written out; nil while
    /// nothing was received (then the hello asks per `options.replay`).
    var offsets: [UInt64?] = [nil, nil]
    /// Per stream: the offset last acknowledged.
    var acknowledged: [UInt64] = [0, 0]
    /// Per stream: the offset through which output reached the client (what may be
    /// acknowledged); behind `offsets` when a sink declined bytes.
    var delivered: [UInt64] = [0, 0]
    var stdinOpen: Bool
    var outgoing: [UInt8] = []

    /// How long to wait for a keeper that has not yet written keeper.pid (just spawned).
    static let startGrace: Duration = .seconds(5)
    /// How long a live keeper may leave us without a socket to connect to, in all.
    static let connectPatience: Duration = .seconds(10)
    /// Acknowledge at least this often (bytes), and whenever idle.
    static let ackEvery: UInt64 = 64 << 10

    init(layout: ProcessDirLayout, options: AttachOptions) {
        self.layout = layout
        self.options = options
        self.stdinOpen = options.stdinFD != nil
        if let start = options.startOffsets {
            offsets = [start.stdout, start.stderr]
            delivered = [start.stdout, start.stderr]
            acknowledged = [start.stdout, start.stderr]
        }
    }

    func run() throws(OSError) -> AttachOutcome {
        let started = ContinuousClock.now
        var waitedForSocket: Duration = .zero
        var reconnects = 0
        while true {
            if options.sink?.isAbandoned == true { throw OSError(errno: ECANCELED, call: "attach") }
            if let record = ExitRecord.read(processDir: layout.directory) {
                return try replayFiles(then: record)
            }
            let fd: Int32
            do {
                fd = try connectUnixSocket(path: layout.attachSocketPath)
            } catch where error.errno == ENOENT || error.errno == ECONNREFUSED {
                // No keeper listening: it finished (exit.json is written before it goes), it is
                // not up yet, or it died.
                if let record = ExitRecord.read(processDir: layout.directory) { return try replayFiles(then: record) }
                let starting = KeeperLiveness.recorded(processDir: layout.directory) == nil
                    && ContinuousClock.now - started < Self.startGrace
                if (starting || KeeperLiveness.isAlive(processDir: layout.directory)) && waitedForSocket < Self.connectPatience {
                    pause(milliseconds: 20)
                    waitedForSocket += .milliseconds(20)
                    continue
                }
                if let record = ExitRecord.read(processDir: layout.directory) { return try replayFiles(then: record) }
                if KeeperLiveness.isAlive(processDir: layout.directory) { throw error }
                return try replayFiles(then: nil)
            }
            switch try converse(fd) {
            case .exited(let code, let message):
                return .exited(code: code, message: message)
            case .lost:
                return .keeperLost
            case .disconnected:
                // The keeper closed on us: it is exiting (exit.json is there, see the top of the
                // loop), it died (keeper lost), or it gave us up; resume where we are.
                reconnects += 1
                if reconnects > 1 { pause(milliseconds: min(20 * reconnects, 500)) }
                if reconnects > 100 { throw OSError(errno: ECONNRESET, call: "attach", path: layout.attachSocketPath) }
            }
        }
    }

    /// Speaks the protocol on a connected socket until the exit frame or a disconnect.
    private func converse(_ socket: Int32) throws(OSError) -> Conversation {
        defer { closeDescriptor(socket) }
        var decoder = AttachFrameDecoder()
        outgoing = []
        AttachFrame.hello(stdout: helloOffset(0), stderr: helloOffset(1)).encode(into: &outgoing)

        var winch: SignalNotifier?
        if options.tty, let input = options.stdinFD, isTerminal(input) {
            winch = try? SignalNotifier(SIGWINCH)
            sendWindowSize(input)
        }
        // Large reads: the keeper sends frames of up to 256 KiB.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }

        while true {
            try flushOutgoing(socket)
            var entries = [pollfd(fd: socket, events: Int16(POLLIN | (outgoing.isEmpty ? 0 : POLLOUT)), revents: 0)]
            var stdinIndex: Int?
            // Stdin is read only while little is queued for the socket: a keeper that takes no
            // more stdin (the process does not read it) holds the local side back too.
            if stdinOpen, let input = options.stdinFD, outgoing.count < 256 << 10 {
                stdinIndex = entries.count
                entries.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0))
            }
            var winchIndex: Int?
            if let winch {
                winchIndex = entries.count
                entries.append(pollfd(fd: winch.fd, events: Int16(POLLIN), revents: 0))
            }
            var sinkIndex: Int?
            if let sink = options.sink {
                sinkIndex = entries.count
                entries.append(pollfd(fd: sink.wakeFD, events: Int16(POLLIN), revents: 0))
            }

            let ready = try pollDescriptors(&entries, timeoutMilliseconds: 1000)
            if ready == 0 {
                // Quiet for a second: make sure somebody is still there (a connection accepted
                // by nobody — a dead keeper whose socket another process still holds — is silent).
                if !KeeperLiveness.isAlive(processDir: layout.directory) { return .disconnected }
                continue
            }
            if let sink = options.sink, let sinkIndex, entries[sinkIndex].revents != 0 {
                if sink.isAbandoned { throw OSError(errno: ECANCELED, call: "attach") }
                outgoing += sink.takeFrames()
            }
            if entries[0].revents != 0 {
                let count: Int?
                do { count = try readAvailable(socket, buffer) } catch where error.errno == ECONNRESET {
                    return .disconnected
                }
                if count == 0 { return .disconnected }
                if let count {
                    decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    while let frame = try nextFrame(&decoder) {
                        if let exit = try deliver(frame) {
                            try acknowledge(socket)
                            return exit
                        }
                    }
                }
            }
            if let stdinIndex, entries[stdinIndex].revents != 0 {
                forwardStdin(buffer)
            }
            if let winch, let winchIndex, entries[winchIndex].revents != 0, winch.drain(), let input = options.stdinFD {
                sendWindowSize(input)
            }
            try acknowledge(socket)
        }
    }

    /// The decoder's next frame; a malformed one from the keeper is EPROTO.
    private func nextFrame(_ decoder: inout AttachFrameDecoder) throws(OSError) -> AttachFrame? {
        do {
            return try decoder.next()
        } catch {
            throw OSError(errno: EPROTO, call: "attach", path: layout.attachSocketPath)
        }
    }

    private func helloOffset(_ index: Int) -> UInt64 {
        offsets[index] ?? (options.replay ? AttachFrame.fromStart : AttachFrame.liveOnly)
    }

    /// Writes an output frame's new bytes; returns the outcome for an exit frame.
    private func deliver(_ frame: AttachFrame) throws(OSError) -> Conversation? {
        switch frame {
        case .output(let stream, let offset, let bytes):
            let index = stream == .stdout ? 0 : 1
            let expected = offsets[index] ?? offset
            let end = offset + UInt64(bytes.count)
            guard end > expected || bytes.isEmpty else { return nil }   // already written
            let skip = expected > offset ? Int(expected - offset) : 0
            let taken = try bytes.withUnsafeBytes { raw in
                Result { () throws(OSError) in
                    try write(stream, offset: offset + UInt64(skip), UnsafeRawBufferPointer(rebasing: raw[skip...]))
                }
            }.get()
            offsets[index] = end
            if taken { delivered[index] = end }
            if delivered[index] > acknowledged[index], delivered[index] - max(acknowledged[index], offset) >= Self.ackEvery {
                AttachFrame.ack(stream, through: delivered[index]).encode(into: &outgoing)
                acknowledged[index] = delivered[index]
            }
            return nil
        case .exit(let code, let kind, let message):
            return kind == .statusLost ? .lost : .exited(code: code, message: message)
        default:
            // A client-to-keeper frame from the keeper: a bug on its side.
            throw OSError(errno: EPROTO, call: "attach", path: layout.attachSocketPath)
        }
    }

    /// Queues an ack for every stream with unacknowledged written bytes, and sends what it can.
    private func acknowledge(_ socket: Int32) throws(OSError) {
        for (index, stream) in [AttachStream.stdout, .stderr].enumerated() {
            let offset = delivered[index]
            guard offset > acknowledged[index] else { continue }
            AttachFrame.ack(stream, through: offset).encode(into: &outgoing)
            acknowledged[index] = offset
        }
        try flushOutgoing(socket)
    }

    /// Writes output to the sink or the stream's fd; whether it reached its reader.
    func write(_ stream: AttachStream, offset: UInt64, _ bytes: UnsafeRawBufferPointer) throws(OSError) -> Bool {
        if let sink = options.sink { return try sink.deliver(stream, offset: offset, bytes) }
        try writeFully(stream == .stdout ? options.stdoutFD : options.stderrFD, bytes)
        return true
    }

    private func forwardStdin(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let input = options.stdinFD else { return }
        let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(32 << 10)])
        let count: Int?
        do { count = try readAvailable(input, chunk) } catch {
            count = 0   // EIO: a terminal that went away; treat as end of input
        }
        guard let count else { return }
        if count == 0 {
            AttachFrame.stdinEOF.encode(into: &outgoing)
            stdinOpen = false
        } else {
            AttachFrame.stdin(Array(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))).encode(into: &outgoing)
        }
    }

    private func sendWindowSize(_ terminal: Int32) {
        guard let size = try? windowSize(terminal), size.rows > 0, size.columns > 0 else { return }
        AttachFrame.windowSize(rows: size.rows, columns: size.columns).encode(into: &outgoing)
    }

    /// Sends what the socket takes now (non-blocking); a broken connection is left to the next
    /// read to notice.
    private func flushOutgoing(_ socket: Int32) throws(OSError) {
        guard !outgoing.isEmpty else { return }
        let sent: Int?
        do {
            sent = try outgoing.withUnsafeBytes { raw in
                Result { () throws(OSError) in try sendAvailable(socket, raw) }
            }.get()
        } catch where error.errno == EPIPE || error.errno == ECONNRESET {
            outgoing = []
            return
        }
        if let sent, sent > 0 { outgoing.removeFirst(sent) }
    }

    private func pause(milliseconds: Int) {
        _ = poll(nil, 0, Int32(milliseconds))
    }
}
