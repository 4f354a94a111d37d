import RundleOS

/// One output stream of the process as the keeper holds it: the fd it is read from (a pipe's
/// read end, or the pty master for a TTY), its log file and the log's bookkeeping.
struct KeeperStream {
    let stream: AttachStream
    /// Read end; -1 once closed. For a TTY this is the pty master, which the keeper owns
    /// separately (it also takes stdin): then `ownsFD` is false and EOF only marks it done.
    var fd: Int32
    let ownsFD: Bool
    let logFD: Int32
    let logPath: String
    var state: StreamLogState
    /// Bytes read from the process that the log write failed to take (disk full…): written
    /// before anything else is read, so the log never has a gap.
    var unwritten: [UInt8] = []
    /// EOF seen, or given up on after the process exited.
    var done = false
    /// The last time data arrived (or the process exited): for the 2 s idle rule while draining.
    var lastData: ContinuousClock.Instant
    /// Blocks below this offset have been freed (hole punched).
    var reclaimed: UInt64 = 0
    let blockSize: UInt64

    var isReadable: Bool { !done && fd >= 0 && unwritten.isEmpty && state.shouldRead }

    mutating func close() {
        done = true
        if ownsFD { closeDescriptor(fd) }
        fd = -1
    }
}
