import RundleOS

extension Keeper {
    /// Writes queued stdin to the process, then lets parked clients go on.
    func flushStdin() {
        stdin.flush()
        if !stdin.isFull { unparkClients() }
    }

    /// An `E` frame: closes the process's stdin (a pipe), or sends the pty's VEOF.
    func requestStdinEOF() {
        let eof: UInt8 = ptyMaster >= 0 ? ((try? terminalEOFCharacter(ptyMaster)) ?? 4) : 4
        stdin.requestEOF(eofCharacter: eof)
        flushStdin()
    }

    /// A `W` frame: resizes the pty (or remembers the size until runc sends it). Without a TTY
    /// there is nothing to resize.
    func resize(_ size: WindowSize) {
        guard config.tty else { return }
        if ptyMaster >= 0 {
            do { try setWindowSize(ptyMaster, size) } catch { diagnostic("resizing the terminal: \(error)") }
        } else {
            pendingWindowSize = size
        }
    }
}
