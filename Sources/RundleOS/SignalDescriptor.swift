import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A signalfd(2) for a set of signals, which it blocks first: those signals then arrive as
/// readable data in a poll loop instead of interrupting it. Only for a single-threaded process
/// (the keeper): another thread that does not block them would still get them.
public struct SignalDescriptor: ~Copyable {
    public let fd: Int32

    public init(_ signals: [Int32]) throws(OSError) {
        fd = try signals.withUnsafeBufferPointer { buffer in
            Result { () throws(OSError) in
                try sys("signalfd") { rundle_signalfd_open(buffer.baseAddress, Int32(buffer.count)) }
            }
        }.get()
    }

    /// Reads every pending signal (non-blocking): their numbers, in arrival order. Standard
    /// signals coalesce: one SIGCHLD may stand for several exited children.
    public func drain() throws(OSError) -> [Int32] {
        var signals: [Int32] = []
        while let signal = try sysNonBlocking("read(signalfd)", { rundle_signalfd_read(fd) }) {
            signals.append(signal)
        }
        return signals
    }

    deinit { closeDescriptor(fd) }
}

/// Sets `signal` to be ignored (SIG_IGN). Ignored signals survive exec, but every child Rundle
/// spawns gets all signals reset to their default (POSIX_SPAWN_SETSIGDEF).
public func ignoreSignal(_ signal: Int32) throws(OSError) {
    try sys("sigaction") { rundle_ignore_signal(signal) }
}

/// Turns deliveries of one signal into bytes on a pipe that a poll loop can watch (the
/// self-pipe trick), for processes with other threads where a signalfd would miss signals
/// delivered to them. The previous handler is restored by `stop()` or when it is released.
public final class SignalNotifier {
    public let signal: Int32
    /// Becomes readable after each delivery; `drain()` empties it.
    public let fd: Int32
    private let writeEnd: Int32
    private var stopped = false

    public init(_ signal: Int32) throws(OSError) {
        let (readEnd, writeEnd) = try makePipe(flags: O_CLOEXEC | O_NONBLOCK)
        do {
            try sys("sigaction") { rundle_signal_notify_start(signal, writeEnd) }
        } catch {
            closeDescriptor(readEnd)
            closeDescriptor(writeEnd)
            throw error
        }
        self.signal = signal
        self.fd = readEnd
        self.writeEnd = writeEnd
    }

    /// Empties the pipe; true when at least one signal had arrived.
    public func drain() -> Bool {
        var any = false
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { any = true; continue }
            if count < 0 && errno == EINTR { continue }
            return any
        }
    }

    /// Restores the handler that was in place before and closes the pipe.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = rundle_signal_notify_stop(signal)
        closeDescriptor(fd)
        closeDescriptor(writeEnd)
    }

    deinit { stop() }
}
