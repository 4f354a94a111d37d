/// One attached client connection, as the keeper sees it.
final class KeeperClient {
    let fd: Int32
    var decoder = AttachFrameDecoder()
    var helloReceived = false
    /// Per stream (index 0 stdout, 1 stderr): the next offset to send.
    var cursor: [UInt64] = [0, 0]
    /// Per stream: where this client's contiguous reception began (its hello offset, or where it
    /// was moved to when bytes it had not been sent were dropped). Its acks count only from here.
    var receivedFrom: [UInt64] = [0, 0]
    /// The frame being sent and how much of it went out.
    var pending: [UInt8] = []
    var pendingSent = 0
    /// Which stream the next frame is taken from first (round robin).
    var nextStream = 0
    var exitSent = false
    /// Not reading from it while the process's stdin queue is full and its next frame is stdin.
    var parked = false
    var closed = false
    /// The last time it took bytes (or connected): a client that stops reading once the process
    /// has exited is given up after `KeeperTimeouts.clientStall`.
    var lastProgress: ContinuousClock.Instant

    init(fd: Int32, now: ContinuousClock.Instant) {
        self.fd = fd
        self.lastProgress = now
    }

    var hasPending: Bool { pendingSent < pending.count }
}

/// The keeper's time limits.
enum KeeperTimeouts {
    /// After the process exited, a stream with no data for this long is not waited for any more
    /// (a grandchild may hold the pipe open and never write or close it).
    static let drainIdle: Duration = .seconds(2)
    /// Once the exit is recorded, a client that takes nothing for this long is given up.
    static let clientStall: Duration = .seconds(10)
    /// Retry period for a failed log or exit.json write.
    static let retry: Duration = .seconds(1)
}

/// The keeper's size limits.
enum KeeperLimits {
    /// Bytes read per read(2) and the largest data frame payload.
    static let chunk = 64 << 10
    /// Stdin bytes queued for the process before clients sending more are no longer read.
    static let stdinQueue = 256 << 10
    /// After the process exited, this much may be read past the log bound so the pipe can be
    /// drained to EOF: a pipe holds at most /proc/sys/fs/pipe-max-size (1 MiB by default), so
    /// what the process wrote before exiting is never lost. A grandchild that keeps writing is
    /// cut off by it (and by the idle rule).
    static let drainOvershoot: UInt64 = 1 << 20
    /// log.start is rewritten (and holes punched) once a stream's start moved this far.
    static let reclaimStep: UInt64 = 1 << 20
    static let maxClients = 256
}
