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
