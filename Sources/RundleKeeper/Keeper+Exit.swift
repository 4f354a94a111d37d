import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Keeper {
    /// Reaps every exited child (SIGCHLD coalesces): the runtime, the process, and any orphan
    /// re-parented to the keeper as subreaper (reaped and forgotten, so no zombie is left).
    func reapChildren() {
        while true {
            let reaped: (pid: pid_t, status: ExitStatus)?
            do { reaped = try reapAnyChild() } catch {
                diagnostic("waitpid: \(error)")
                return
            }
            guard let (pid, status) = reaped else { return }
            switch phase {
            case .startingRuntime(let runtime, _) where pid == runtime:
                runtimeExited(status)
            case .startingRuntime:
                // Maybe the process itself, exiting before runc has even returned: its pid is
                // not known until the pid file is read, so remember every status until then.
                earlyExits[pid] = status
            case .running(let process) where pid == process:
                processExited(status)
            default:
                break
            }
        }
    }

    /// The process exited: read its streams to EOF (see `finishIfDrained`), then record the exit.
    /// A nil status: it exited, but how is unknown (it was not the keeper's child).
    func processExited(_ status: ExitStatus?) {
        phase = .draining(status: status, exitedAt: wallClockNanoseconds())
        let now = ContinuousClock.now
        for index in streams.indices {
            streams[index].state.grantOvershoot(KeeperLimits.drainOvershoot)
            streams[index].lastData = now
        }
        finishIfDrained(now: now)
    }

    /// While draining: a stream with no data for `drainIdle` after the exit is not waited for
    /// any more. Its write end is still open somewhere — a grandchild the process left running
    /// holds the pipe (or the pty slave) — and EOF may never come; what it writes later is not
    /// the process's output.
    func finishIfDrained(now: ContinuousClock.Instant) {
        guard case .draining(let status, let exitedAt) = phase else { return }
        for index in streams.indices where !streams[index].done {
            guard streams[index].unwritten.isEmpty, now - streams[index].lastData >= KeeperTimeouts.drainIdle else { continue }
            diagnostic("\(streams[index].stream) still open \(KeeperTimeouts.drainIdle) after the process exited (a grandchild holds it?); not waiting for EOF")
            streams[index].close()
        }
        guard streams.allSatisfy(\.done) else { return }
        if let status {
            recordExit(ExitRecord(status: status, exitedAt: exitedAt))
        } else {
            recordExit(ExitRecord(exitCode: 255, exitedAt: exitedAt,
                                  error: "the process was not the keeper's child: its exit status is unknown",
                                  kind: .keeperLost))
        }
    }

    /// Writes exit.json, and only then lets clients be told (phase `finishing`). If the write
    /// fails it is retried every second; after 30 failures clients are told anyway (an exit
    /// code reported but not stored beats one never reported).
    func recordExit(_ record: ExitRecord) {
        persistLogStart()
        stdin.markClosed()
        do {
            try record.write(processDir: layout.directory)
            phase = .finishing(record)
            unwrittenRecord = nil
        } catch where error.errno == EEXIST {
            // Someone else recorded an exit first (e.g. a keeper-lost verdict): the file is the truth.
            phase = .finishing(ExitRecord.read(processDir: layout.directory) ?? record)
            unwrittenRecord = nil
        } catch {
            recordWriteAttempts += 1
            diagnostic("writing \(layout.exitRecordPath) failed (\(error)), attempt \(recordWriteAttempts)")
            if recordWriteAttempts >= 30 {
                phase = .finishing(record)
                unwrittenRecord = nil
            } else {
                unwrittenRecord = record
            }
        }
    }
}
