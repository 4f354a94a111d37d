import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The per-process keeper: starts the process with `runc exec --detach` as its subreaper,
/// holds its stdio (pipes, or the pty master), keeps its output in bounded logs, serves attach
/// clients, and records its exit. One thread, one poll loop; no Foundation, no Dispatch.
///
/// Lifecycle: `startingRuntime` (runc runs; output is not read yet) → `running` (the process
/// runs) → `draining` (it exited; its streams are read to EOF) → `finishing` (exit.json is on
/// disk; clients get the rest of their output and the exit frame) → the keeper exits.
/// A runtime failure goes from `startingRuntime` straight to `finishing`.
final class Keeper {
    enum Phase {
        case startingRuntime(pid: pid_t, deadline: ContinuousClock.Instant)
        case running(pid: pid_t)
        /// `status` is nil when the process was not the keeper's child (see `watchForeignProcess`).
        case draining(status: ExitStatus?, exitedAt: Int64)
        case finishing(ExitRecord)
    }

    let config: KeeperConfiguration
    let layout: ProcessDirLayout
    var phase: Phase
    let signals: SignalDescriptor
    var listener: Int32
    var streams: [KeeperStream] = []
    var stdin = StdinSink()
    var clients: [KeeperClient] = []
    /// The pty master (TTY only), once runc has sent it.
    var ptyMaster: Int32 = -1
    var pendingWindowSize: WindowSize?
    /// The console socket runc connects to (TTY only) and its path.
    var consoleListener: Int32 = -1
    var consolePath: String?
    var runtimeLogPath = ""
    var runtimeTimedOut = false
    var runtimeKilled = false
    /// Children reaped before the process's pid was known (it may exit before runc does).
    var earlyExits: [pid_t: ExitStatus] = [:]
    /// A pidfd on the process when it is not the keeper's child (its status cannot be had).
    var foreignProcess: Int32 = -1
    /// An exit record that could not be written yet (retried).
    var unwrittenRecord: ExitRecord?
    var recordWriteAttempts = 0
    /// The log.start last written.
    var persistedStarts: [UInt64] = [0, 0]
    let buffer: UnsafeMutableRawBufferPointer

    /// Setup, in the order the contract promises: subreaper, keeper.pid, signals, attach socket,
    /// log files. Throws `KeeperSetupError` naming the step.
    init(_ config: KeeperConfiguration) throws(KeeperSetupError) {
        self.config = config
        self.layout = ProcessDirLayout(directory: config.processDir)
        self.phase = .running(pid: 0)   // replaced by start()
        buffer = .allocate(byteCount: KeeperLimits.chunk, alignment: 16)

        do {
            try setChildSubreaper()
        } catch {
            throw KeeperSetupError("could not become child subreaper: \(error)")
        }
        let pid = getpid()
        guard let startTime = processStartTime(pid) else {
            throw KeeperSetupError("could not read the keeper's own start time from /proc/\(pid)/stat")
        }
        do {
            // Atomic but not fsynced: it only matters while this keeper lives, and an fsync here sat on
            // the start of every process (up to 100 ms when the journal commits).
            try replaceFile(layout.keeperPidPath, KeeperLiveness.record(pid: pid, startTime: startTime))
        } catch {
            throw KeeperSetupError("could not write \(layout.keeperPidPath): \(error)")
        }
        do {
            for ignored in [SIGPIPE, SIGHUP, SIGINT] { try ignoreSignal(ignored) }
            signals = try SignalDescriptor([SIGCHLD])
        } catch {
            throw KeeperSetupError("could not set up signal handling: \(error)")
        }
        listener = -1
        listener = try Self.attachListener(layout)
        try openLogs()
    }

    deinit {
        buffer.deallocate()
    }

    /// fd 3 when the starter passed a listening socket there (bound at attach.sock before the
    /// keeper started, so a client can connect at once); otherwise attach.sock bound here.
    private static func attachListener(_ layout: ProcessDirLayout) throws(KeeperSetupError) -> Int32 {
        let inherited: Int32 = 3
        if isListeningSocket(inherited) {
            do {
                try setNonBlocking(inherited)
                _ = fcntl(inherited, F_SETFD, FD_CLOEXEC)
            } catch {
                throw KeeperSetupError("could not use the attach socket passed as fd 3: \(error)")
            }
            return inherited
        }
        do {
            try removeFile(layout.attachSocketPath)
            return try makeUnixListener(path: layout.attachSocketPath)
        } catch {
            throw KeeperSetupError("could not bind \(layout.attachSocketPath): \(error)")
        }
    }

    private func openLogs() throws(KeeperSetupError) {
        let kinds: [AttachStream] = config.tty ? [.stdout] : [.stdout, .stderr]
        do {
            try removeFile(layout.logStartPath)
            for kind in kinds {
                let path = layout.logPath(kind)
                let fd = try openDescriptor(path, O_RDWR | O_CREAT | O_TRUNC, mode: 0o600)
                let (_, blockSize) = try fileSizeAndBlock(fd)
                streams.append(KeeperStream(stream: kind, fd: -1, ownsFD: !config.tty, logFD: fd, logPath: path,
                                            state: StreamLogState(limit: config.logLimit),
                                            lastData: .now, blockSize: blockSize))
            }
        } catch {
            throw KeeperSetupError("could not create the output logs: \(error)")
        }
    }

    /// Releases everything before the keeper exits: the attach socket goes first, so a client
    /// arriving now finds no socket and reads the files (exit.json is already there).
    func tearDown() {
        _ = unlink(layout.attachSocketPath)
        closeDescriptor(listener)
        listener = -1
        for client in clients { closeDescriptor(client.fd) }
        clients.removeAll()
        for index in streams.indices {
            if !streams[index].done { streams[index].close() }
            closeDescriptor(streams[index].logFD)
        }
        stdin.markClosed()
        closeDescriptor(ptyMaster)
        ptyMaster = -1
        closeDescriptor(foreignProcess)
        foreignProcess = -1
        removeConsoleSocket()
    }

    /// A line on the keeper's stderr (the starter decides where that goes; /dev/null by default).
    func diagnostic(_ message: String) {
        let line = Array("rundle-keeper[\(getpid())] \(config.container): \(message)\n".utf8)
        line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// The index of `stream` in `streams` (a TTY has only stdout).
    func index(of stream: AttachStream) -> Int? {
        streams.firstIndex { $0.stream == stream }
    }
}

/// Why the keeper could not get going (it exits 2 and records a runtime-failed exit).
struct KeeperSetupError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
