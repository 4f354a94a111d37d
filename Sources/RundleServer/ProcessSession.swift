import GardenProtocol
import Glibc
import Logging
import NIOCore
import RundleKeeper
import RundleOS
import Synchronization

/// One Garden Run or Attach: a stream id, the control connection (payload messages both
/// ways), the stdout and stderr outlets, and the pump — an attach to the process's keeper on a
/// thread of its own that starts where Garden clients last stopped receiving.
final class ProcessSession: AttachSink, Sendable {
    let handle: String
    let processID: String
    let streamID: String
    let processDir: String
    let tty: Bool
    let stdout: OutputOutlet
    let stderr: OutputOutlet
    private let ledger: DeliveryLedger
    private let logger: Logger

    private struct Control {
        var channel: Channel?
        var frames: [UInt8] = []
        var abandoned = false
        var ended = false
        var readingPaused = false
    }
    private let control = Mutex(Control())
    private let controlWake: EventFD
    private let outletWake: EventFD
    /// Called once when the session ends (exit delivered, or the client went away).
    private let onEnd: @Sendable (ProcessSession) -> Void
    /// Signals the process (Garden's `signal` message), off the event loop.
    private let signaller: @Sendable (Int32) -> Void

    /// Stdin queued beyond this stops reading the control connection until the keeper took it.
    static let maxQueuedInput = 1 << 20

    init(handle: String, processID: String, streamID: String, processDir: String, tty: Bool, ledger: DeliveryLedger,
         logger: Logger, signaller: @escaping @Sendable (Int32) -> Void,
         onEnd: @escaping @Sendable (ProcessSession) -> Void) throws(OSError) {
        self.handle = handle
        self.processID = processID
        self.streamID = streamID
        self.processDir = processDir
        self.tty = tty
        self.ledger = ledger
        self.logger = logger
        self.signaller = signaller
        self.onEnd = onEnd
        let controlWake = try EventFD()
        let outletWake = try EventFD()
        self.controlWake = controlWake
        self.outletWake = outletWake
        stdout = OutputOutlet(stream: .stdout, wake: { outletWake.signal() })
        stderr = OutputOutlet(stream: .stderr, wake: { outletWake.signal() })
    }

    // MARK: the control connection (event loop side)

    /// The control connection is ours (its head and first payload are on the way): start the pump.
    func controlConnected(_ channel: Channel) {
        control.withLock { $0.channel = channel }
        guard startThread({ [self] in pump() }) else {
            logger.error("no thread for a process stream", metadata: ["handle": "\(handle)", "process": "\(processID)"])
            channel.close(promise: nil)
            onEnd(self)
            return
        }
        // Closed while the process was being started: its raw handler never saw it go.
        if !channel.isActive { controlClosed() }
    }

    /// A payload from the client, dispatched in Garden's order: tty, then stdin, then signal.
    func received(_ payload: ProcessPayload) {
        if let tty = payload.tty {
            if let size = tty.windowSize, size.rows > 0, size.columns > 0 {
                queue(AttachFrame.windowSize(rows: size.rows, columns: size.columns).encoded)
            }
        } else if payload.source != nil {
            if let data = payload.data {
                queue(AttachFrame.stdin(Array(data.utf8)).encoded)
            } else {
                queue(AttachFrame.stdinEOF.encoded)
            }
        } else if let signal = payload.signal {
            switch signal {
            case ProcessSignal.terminate.rawValue: signaller(SIGTERM)
            case ProcessSignal.kill.rawValue: signaller(SIGKILL)
            default: logger.warning("unknown signal in a process payload", metadata: ["signal": "\(signal)", "process": "\(processID)"])
            }
        }
        // Anything else is ignored (Garden's server would stop reading; nothing relies on that).
    }

    /// The control connection closed: stop streaming for this client; the process runs on.
    func controlClosed() {
        let first = control.withLock { state -> Bool in
            defer { state.abandoned = true }
            return !state.abandoned && !state.ended
        }
        guard first else { return }
        controlWake.signal()
        outletWake.signal()
    }

    private func queue(_ frame: [UInt8]) {
        let pause = control.withLock { state -> Channel? in
            state.frames += frame
            guard state.frames.count > Self.maxQueuedInput, !state.readingPaused else { return nil }
            state.readingPaused = true
            return state.channel
        }
        _ = pause?.setOption(ChannelOptions.autoRead, value: false)
        controlWake.signal()
    }

    // MARK: AttachSink (pump thread side)

    var wakeFD: Int32 { controlWake.fd }

    var isAbandoned: Bool { control.withLock { $0.abandoned } }

    func takeFrames() -> [UInt8] {
        controlWake.drain()
        let (frames, resume) = control.withLock { state -> ([UInt8], Channel?) in
            defer { state.frames = []; state.readingPaused = false }
            return (state.frames, state.readingPaused ? state.channel : nil)
        }
        _ = resume?.setOption(ChannelOptions.autoRead, value: true)
        return frames
    }

    func deliver(_ stream: AttachStream, offset: UInt64, _ bytes: UnsafeRawBufferPointer) throws(OSError) -> Bool {
        let outlet = stream == .stdout ? stdout : stderr
        // The Go client opens stdout before stderr: stderr first means no stdout writer.
        if stream == .stdout, stdout.isWaiting, !stderr.isWaiting { stdout.giveUp() }
        let end = offset + UInt64(bytes.count)
        let ledger = self.ledger
        let delivered = outlet.deliver(bytes, abandoned: { isAbandoned }, waitForWake: { outletWake.wait($0) },
                                       written: { ledger.advance(stream, to: end) })
        if isAbandoned { throw OSError(errno: ECANCELED, call: "attach") }
        return delivered
    }

    // MARK: the pump

    private func pump() {
        var options = AttachOptions()
        options.tty = tty
        let start = ledger.offsets
        options.startOffsets = (start.stdout, start.stderr)
        options.sink = self
        let outcome: Result<AttachOutcome, OSError> = Result { () throws(OSError) in
            try attach(processDir: processDir, options: options)
        }
        switch outcome {
        case .success(let outcome):
            var payload = ProcessPayload(processID: processID)
            switch outcome {
            case .exited(let code, _): payload.exitStatus = Int(code)
            case .keeperLost: payload.error = "the exit status of process '\(processID)' is lost: its keeper died"
            }
            finish(with: payload)
        case .failure(let error) where error.errno == ECANCELED:
            stdout.finish()
            stderr.finish()
            end()
        case .failure(let error):
            logger.error("process stream failed", metadata: ["handle": "\(handle)", "process": "\(processID)", "error": "\(error)"])
            finish(with: ProcessPayload(processID: processID, error: "cannot stream process '\(processID)': \(error)"))
        }
    }

    /// Everything was delivered: close stdout and stderr, then send the exit on the control connection.
    private func finish(with payload: ProcessPayload) {
        stdout.finish()
        stderr.finish()
        let channel = control.withLock { state -> Channel? in
            state.ended = true
            return state.abandoned ? nil : state.channel
        }
        if let channel {
            let bytes = channel.allocator.buffer(bytes: payload.line())
            channel.writeAndFlush(bytes).whenComplete { _ in channel.close(promise: nil) }
        }
        end()
    }

    private func end() {
        let channel = control.withLock { state -> Channel? in
            state.ended = true
            return state.abandoned ? state.channel : nil
        }
        channel?.close(promise: nil)
        onEnd(self)
    }
}
