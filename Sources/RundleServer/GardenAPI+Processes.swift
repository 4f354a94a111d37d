import GardenProtocol
import Glibc
import NIOCore
import RundleCore
import RundleJSON
import RundleKeeper
import RundleOS

extension GardenAPI {
    /// Run: start the process under its keeper, wait until the runtime has started it (so a
    /// missing executable is this request's error, not an exit code), then hand the connection
    /// to a session.
    func run(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        let spec: GardenProcessSpec
        do { spec = try GardenProcessSpec(bytes: request.body) } catch { throw .badBody(error) }
        let handle = request.param("handle")
        try requireContainer(handle)
        let processRequest = try SpecMapping.processRequest(spec)
        reaper.pause(handle)
        do throws(GardenError) {
            let id: String
            do {
                id = try containerizer.startProcess(handle, processRequest, id: spec.id.isEmpty ? nil : spec.id)
            } catch {
                if error.code == .alreadyExists { throw GardenError.generic("process ID '\(spec.id)' already in use") }
                throw GardenError.from(error, handle: handle)
            }
            let dir = try processDirectory(handle, id)
            try awaitStart(processDir: dir, executable: spec.path)
            return .processControl(try session(handle: handle, processID: id, processDir: dir, tty: processRequest.tty), status: 201)
        } catch {
            reaper.resume(handle)
            throw error
        }
    }

    /// Attach: a new session on a process that runs, or ran (its exit status comes at once).
    func attach(_ request: GardenRequest) throws(GardenError) -> GardenReply {
        let handle = request.param("handle")
        let id = request.param("pid")
        try requireContainer(handle)
        let dir = try processDirectory(handle, id)
        reaper.pause(handle)
        do throws(GardenError) {
            let tty = (try? readFile(ProcessDirLayout(directory: dir).processSpecPath, limit: 1 << 20))
                .flatMap { try? JSON.parse($0) }?["terminal"]?.boolValue ?? false
            return .processControl(try session(handle: handle, processID: id, processDir: dir, tty: tty), status: 200)
        } catch {
            reaper.resume(handle)
            throw error
        }
    }

    private func processDirectory(_ handle: String, _ id: String) throws(GardenError) -> String {
        do {
            return try containerizer.processDirectory(handle, id)
        } catch {
            throw GardenError.processNotFound(id)
        }
    }

    private func session(handle: String, processID: String, processDir: String, tty: Bool) throws(GardenError) -> ProcessSession {
        let containerizer = self.containerizer
        let logger = self.logger
        let streams = self.streams
        let reaper = self.reaper
        let session: ProcessSession
        do {
            session = try ProcessSession(
                handle: handle, processID: processID, streamID: streams.nextStreamID(), processDir: processDir, tty: tty,
                ledger: streams.ledger(for: processDir), logger: logger,
                signaller: { signal in
                    do { try containerizer.signalProcess(handle, processID: processID, signal: signal) } catch {
                        logger.info("signal not delivered", metadata: ["handle": "\(handle)", "process": "\(processID)", "error": "\(error)"])
                    }
                },
                onEnd: { session in
                    reaper.resume(handle)
                    streams.ended(session)
                })
        } catch {
            throw GardenError.generic("cannot stream process '\(processID)': \(error)")
        }
        streams.add(session)
        return session
    }

    /// The runtime's words, in the form Garden clients match (`executable file not found in $PATH`
    /// for a bare name, `stat <path>: no such file or directory` for a path); crun words it otherwise.
    static func executableNotFoundMessage(_ message: String, executable: String) -> String {
        let garden = executable.contains("/")
            ? "exec: stat \(executable): no such file or directory"
            : "exec: \"\(executable)\": executable file not found in $PATH"
        if message.contains("executable file not found in $PATH") || message.contains(": no such file or directory") && message.contains("stat ") {
            return message
        }
        return "\(garden) (\(message))"
    }

    /// Waits until the runtime has started the process (its pid file) or failed to (exit.json of
    /// kind runtime-failed: 127 is Garden's ExecutableNotFoundError, with the runtime's words).
    private func awaitStart(processDir: String, executable: String) throws(GardenError) {
        let layout = ProcessDirLayout(directory: processDir)
        let deadline = ContinuousClock.now + containerizer.config.timeouts.detachedExec + .seconds(5)
        var pause: Int32 = 1
        var deadSince: ContinuousClock.Instant?
        while true {
            if let record = ExitRecord.read(processDir: processDir) {
                guard record.kind == .runtimeFailed else { return }
                let message = record.error ?? "the runtime could not start the process"
                if record.exitCode == 127 {
                    var error = GardenError.generic(Self.executableNotFoundMessage(message, executable: executable))
                    error.type = .executableNotFound
                    throw error
                }
                throw GardenError.generic(message)
            }
            if fileExists(layout.pidPath) { return }
            if ContinuousClock.now > deadline {
                throw GardenError.generic("the process did not start within the runtime's deadline")
            }
            // A keeper seen dead with nothing recorded, for half a second on end (one look can
            // be wrong while it exits after writing exit.json, or is reparented).
            if let keeper = KeeperLiveness.recorded(processDir: processDir), !KeeperLiveness.isAlive(keeper) {
                let since = deadSince ?? ContinuousClock.now
                deadSince = since
                if ContinuousClock.now - since > .milliseconds(500), ExitRecord.read(processDir: processDir) == nil,
                   !fileExists(layout.pidPath) {
                    throw GardenError.generic("the process's keeper died while starting it")
                }
            } else {
                deadSince = nil
            }
            // The runtime takes ~15–30 ms; back off gently from 1 ms.
            usleep(UInt32(pause) * 1000)
            pause = min(pause * 2, 8)
        }
    }
}
