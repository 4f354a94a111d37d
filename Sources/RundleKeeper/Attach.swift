import RundleOS

/// How `attach(processDir:options:)` connects the process to local fds.
public struct AttachOptions: Sendable {
    /// true: all kept output first, then live; false: live output only (`--no-replay`).
    public var replay: Bool = true
    /// Forward this fd as the process's stdin; EOF on it sends `E` (closing the process's stdin).
    public var stdinFD: Int32? = nil
    public var stdoutFD: Int32 = 1
    public var stderrFD: Int32 = 2
    /// The process has a TTY: forward the window size of `stdinFD`'s terminal (TIOCGWINSZ) at
    /// start and on every SIGWINCH. (Raw mode for the local terminal is the caller's:
    /// `withRawTerminal`.)
    public var tty: Bool = false
    /// Resume each stream at this absolute offset (stdout, stderr) instead of per `replay`.
    public var startOffsets: (stdout: UInt64, stderr: UInt64)?
    /// Output goes here instead of to `stdoutFD`/`stderrFD`, and input comes from it instead of
    /// `stdinFD` (the daemon's Garden streams).
    public var sink: (any AttachSink)?

    public init() {}
}

/// Where an attach delivers output when it is not a pair of fds, and where its input comes from:
/// the daemon, whose clients are network connections that come and go.
public protocol AttachSink: AnyObject, Sendable {
    /// Delivers the bytes at `offset` of `stream`; may block until they are written out. true:
    /// they reached the client (the keeper may drop them); false: nobody took them (they stay
    /// kept for a later attach). Throwing ends the attach.
    func deliver(_ stream: AttachStream, offset: UInt64, _ bytes: UnsafeRawBufferPointer) throws(OSError) -> Bool
    /// Readable when `takeFrames()` has something, or the attach should stop (`isAbandoned`).
    var wakeFD: Int32 { get }
    /// Encoded client frames (stdin, EOF, window size) queued for the keeper, and drains the wake fd.
    func takeFrames() -> [UInt8]
    /// The client went away: the attach ends with ECANCELED, the process runs on.
    var isAbandoned: Bool { get }
}

/// How an attach ended.
public enum AttachOutcome: Sendable, Equatable {
    /// The process ended (or the runtime could not start it: then `message` is the runtime's).
    case exited(code: Int32, message: String?)
    /// The exit status is lost: the keeper is gone without recording an exit, or it recorded
    /// one of kind "keeper-lost" (it could not learn the status).
    case keeperLost
}

/// Attaches to the process whose directory is `processDir`: through the keeper's socket while
/// the keeper runs; once it has finished (exit.json present), by replaying the kept logs from
/// the files and returning the recorded exit code — as often as asked. `.keeperLost` when there
/// is no exit.json and the keeper (keeper.pid, start time checked) is dead; what its logs hold
/// is written out first.
///
/// Output goes to `options.stdoutFD`/`stderrFD` as it arrives, each byte once: a connection
/// that breaks is resumed from the offsets already written (reconnecting, or from the files).
/// What is written is acknowledged to the keeper, which may then drop it from its bounded log.
/// With a TTY the process has a single stream, written to `stdoutFD`. Blocks until the process
/// has exited. Throws for local I/O errors (a closed stdout…).
public func attach(processDir: String, options: AttachOptions) throws(OSError) -> AttachOutcome {
    let session = AttachSession(layout: ProcessDirLayout(directory: processDir), options: options)
    return try session.run()
}
