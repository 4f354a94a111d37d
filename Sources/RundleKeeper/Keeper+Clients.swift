import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Keeper {
    /// Takes every waiting connection on the attach socket.
    func acceptClients(now: ContinuousClock.Instant) {
        while true {
            let fd: Int32?
            do { fd = try acceptConnection(listener) } catch {
                diagnostic("accepting an attach client: \(error)")
                return
            }
            guard let fd else { return }
            guard clients.count < KeeperLimits.maxClients else {
                diagnostic("too many attach clients (\(KeeperLimits.maxClients)); refusing one")
                closeDescriptor(fd)
                continue
            }
            clients.append(KeeperClient(fd: fd, now: now))
        }
    }

    /// Reads what a client sent and acts on each complete frame.
    func readClient(_ client: KeeperClient) {
        for _ in 0..<4 {
            guard !client.closed, !client.parked else { return }
            let count: Int?
            do { count = try readAvailable(client.fd, buffer) } catch {
                return dropClient(client, nil)
            }
            guard let count else { return }
            if count == 0 { return dropClient(client, nil) }
            client.decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            handleFrames(client)
        }
    }

    /// Acts on the client's buffered frames, stopping at a stdin frame while the stdin queue is
    /// full (the client is parked: not read until the process takes some stdin). Other clients
    /// are unaffected, and a parked client's acks already read were handled.
    func handleFrames(_ client: KeeperClient) {
        do {
            while !client.closed {
                guard let type = try client.decoder.peekType() else { return }
                if type == AttachFrame.typeStdin && stdin.isFull && !stdin.closed {
                    client.parked = true
                    return
                }
                guard let frame = try client.decoder.next() else { return }
                try handle(frame, from: client)
            }
        } catch {
            dropClient(client, error.description)
        }
    }

    private func handle(_ frame: AttachFrame, from client: KeeperClient) throws(AttachProtocolError) {
        if case .hello = frame {} else if !client.helloReceived {
            throw AttachProtocolError("the first frame must be a hello")
        }
        switch frame {
        case .hello(let stdout, let stderr):
            guard !client.helloReceived else { throw AttachProtocolError("a second hello") }
            client.helloReceived = true
            for index in streams.indices {
                let requested = streams[index].stream == .stdout ? stdout : stderr
                let start = streams[index].state.replayStart(requested: requested)
                client.cursor[index] = start
                client.receivedFrom[index] = start
            }
        case .stdin(let bytes):
            stdin.enqueue(bytes)
            flushStdin()
        case .stdinEOF:
            requestStdinEOF()
        case .windowSize(let rows, let columns):
            resize(WindowSize(rows: rows, columns: columns))
        case .ack(let stream, let through):
            acknowledge(stream, through: through, client: client)
        case .output, .exit:
            throw AttachProtocolError("a keeper-to-client frame from a client")
        }
    }

    /// Lets clients parked on a full stdin queue go on.
    func unparkClients() {
        for client in clients where client.parked && !client.closed {
            client.parked = false
            handleFrames(client)
        }
    }

    /// Whether the client has something to be sent now (so it is polled for POLLOUT).
    func hasWork(_ client: KeeperClient) -> Bool {
        if client.closed { return false }
        if client.hasPending { return true }
        guard client.helloReceived else { return false }
        for index in streams.indices where client.cursor[index] < streams[index].state.end { return true }
        if case .finishing = phase, !client.exitSent { return true }
        return false
    }

    /// Sends the client what it can take now: its pending frame, then further frames built from
    /// the logs. Never blocks and never buffers more than one frame per client: a slow client
    /// is simply skipped until its socket is writable again.
    func sendToClient(_ client: KeeperClient, now: ContinuousClock.Instant) {
        while !client.closed {
            if !client.hasPending {
                client.pending.removeAll(keepingCapacity: true)
                client.pendingSent = 0
                guard buildFrame(for: client) else {
                    client.pending = []   // release the buffer of an idle client
                    break
                }
            }
            let sent: Int?
            do {
                sent = try client.pending.withUnsafeBytes { raw in
                    Result { () throws(OSError) in
                        try sendAvailable(client.fd, UnsafeRawBufferPointer(rebasing: raw[client.pendingSent...]))
                    }
                }.get()
            } catch {
                return dropClient(client, nil)
            }
            guard let sent else { return }
            client.pendingSent += sent
            client.lastProgress = now
        }
        if case .finishing = phase, client.exitSent, !client.hasPending {
            dropClient(client, nil)   // everything delivered, exit frame last
        }
    }

    /// Puts the client's next frame into `pending`: output from the stream it is furthest
    /// behind on in turn, read from the log file (page cache), else the exit frame once the exit
    /// is recorded and all output was sent. False when there is nothing to send.
    private func buildFrame(for client: KeeperClient) -> Bool {
        guard client.helloReceived else { return false }
        for step in 0..<streams.count {
            let index = (client.nextStream + step) % streams.count
            let state = streams[index].state
            if client.cursor[index] < state.start {
                // Bytes this client was never sent were dropped, after another client
                // acknowledged them. It skips ahead; the offsets in its frames show the gap.
                client.cursor[index] = state.start
                client.receivedFrom[index] = state.start
            }
            guard client.cursor[index] < state.end else { continue }
            let count = Int(min(UInt64(KeeperLimits.chunk), state.end - client.cursor[index]))
            AttachFrame.appendOutputHeader(streams[index].stream, offset: client.cursor[index], count: count, to: &client.pending)
            let headerSize = client.pending.count
            client.pending.append(contentsOf: repeatElement(0, count: count))
            let got: Int
            do {
                got = try client.pending.withUnsafeMutableBytes { raw in
                    Result { () throws(OSError) in
                        try readFully(streams[index].logFD, at: client.cursor[index],
                                      UnsafeMutableRawBufferPointer(rebasing: raw[headerSize...]))
                    }
                }.get()
            } catch {
                diagnostic("reading \(streams[index].logPath) for a client: \(error)")
                client.pending.removeAll(keepingCapacity: true)
                dropClient(client, nil)
                return false
            }
            if got < count {
                // Cannot happen (the log holds every byte up to `end`); send what is there.
                client.pending.removeLast(count - got)
                if got == 0 {
                    diagnostic("\(streams[index].logPath) is shorter than its \(state.end) bytes (truncated by someone?)")
                    client.pending.removeAll(keepingCapacity: true)
                    dropClient(client, nil)
                    return false
                }
                let length = UInt32(8 + got).bigEndian
                withUnsafeBytes(of: length) { for byte in 0..<4 { client.pending[1 + byte] = $0[byte] } }
            }
            client.cursor[index] += UInt64(got)
            client.nextStream = (index + 1) % streams.count
            return true
        }
        if case .finishing(let record) = phase, !client.exitSent {
            record.frame.encode(into: &client.pending)
            client.exitSent = true
            return true
        }
        return false
    }

    /// Closes a client connection (protocol error, hang-up, done, or given up).
    func dropClient(_ client: KeeperClient, _ reason: String?) {
        guard !client.closed else { return }
        if let reason { diagnostic("closing an attach client: \(reason)") }
        client.closed = true
        closeDescriptor(client.fd)
    }

    /// Gives up on clients that take nothing for `clientStall` once the exit is recorded (a
    /// client that connected but never said hello counts too).
    func giveUpOnStalledClients(now: ContinuousClock.Instant) {
        guard case .finishing = phase else { return }
        for client in clients where !client.closed && now - client.lastProgress >= KeeperTimeouts.clientStall {
            dropClient(client, "it took nothing for \(KeeperTimeouts.clientStall) after the exit")
        }
    }
}
