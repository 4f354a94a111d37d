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

    public init() {}
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
