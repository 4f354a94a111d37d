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
    /// Bytes read per read(2) and the largest data frame payload. 256 KiB moves 256 MiB in about
    /// a thousand read/write/send rounds (64 KiB took four times as many and halved throughput);
    /// the buffer's pages are only touched by a process that writes that much at once.
    static let chunk = 256 << 10
    /// The capacity asked for the process's output pipes (F_SETPIPE_SZ), so one read can take a
    /// whole chunk; the kernel allocates pipe pages only as they fill.
    static let pipeCapacity: Int32 = 256 << 10
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
