import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Keeper {
    /// What a poll entry stands for.
    private enum Source {
        case signals
        case listener
        case stream(Int)
        case stdin
        case foreignProcess
        case client(KeeperClient)
    }

    /// Starts the runtime and runs the poll loop until the process has exited, its exit is on
    /// disk and every client has its output and the exit frame (or was given up on).
    func run() throws(KeeperSetupError) {
        try startRuntime()
        while !isDone {
            var entries: [pollfd] = []
            var sources: [Source] = []
            func watch(_ fd: Int32, _ events: Int32, _ source: Source) {
                entries.append(pollfd(fd: fd, events: Int16(events), revents: 0))
                sources.append(source)
            }
            watch(signals.fd, POLLIN, .signals)
            if listener >= 0 { watch(listener, POLLIN, .listener) }
            if isReadingOutput {
                for index in streams.indices where streams[index].isReadable { watch(streams[index].fd, POLLIN, .stream(index)) }
            }
            if stdin.wantsWrite { watch(stdin.fd, POLLOUT, .stdin) }
            if foreignProcess >= 0 { watch(foreignProcess, POLLIN, .foreignProcess) }
            for client in clients where !client.closed {
                var events: Int32 = 0
                if !client.parked { events |= POLLIN }
                if hasWork(client) { events |= POLLOUT }
                // Not at all when there is nothing to do: poll reports POLLHUP whatever was
                // asked, and a parked client that hung up would spin the loop. Its buffered
                // frames are still handled once it is unparked; the hang-up is seen then.
                if events != 0 { watch(client.fd, events, .client(client)) }
            }

            do {
                _ = try pollDescriptors(&entries, timeoutMilliseconds: pollTimeout(now: .now))
            } catch {
                diagnostic("poll: \(error)")
                _ = poll(nil, 0, 100)
                continue
            }
            let now = ContinuousClock.now
            for (entry, source) in zip(entries, sources) where entry.revents != 0 {
                switch source {
                case .signals:
                    _ = try? signals.drain()
                    reapChildren()
                case .listener:
                    acceptClients(now: now)
                case .stream(let index):
                    readStream(index, now: now)
                case .stdin:
                    flushStdin()
                case .foreignProcess:
                    foreignProcessExited()
                case .client(let client):
                    if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readClient(client) }
                    if entry.revents & Int16(POLLOUT) != 0 { sendToClient(client, now: now) }
                }
            }
            clients.removeAll { $0.closed }
            afterEvents(now: now)
        }
        tearDown()
    }

    /// Timers and phase changes that do not wait for an fd.
    private func afterEvents(now: ContinuousClock.Instant) {
        enforceRuntimeDeadline(now: now)
        retryUnwritten()
        if let record = unwrittenRecord { recordExit(record) }
        finishIfDrained(now: now)
        giveUpOnStalledClients(now: now)
        clients.removeAll { $0.closed }
    }

    /// The output pipes are read once the runtime is done (a failing runtime's own words on them
    /// are not the process's output) until each reaches EOF.
    private var isReadingOutput: Bool {
        switch phase {
        case .running, .draining: true
        case .startingRuntime, .finishing: false
        }
    }

    private var isDone: Bool {
        guard case .finishing = phase else { return false }
        return clients.isEmpty
    }

    /// The nearest deadline as a poll timeout (-1: none).
    private func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        var deadlines: [ContinuousClock.Instant] = []
        switch phase {
        case .startingRuntime(_, let deadline):
            if !runtimeKilled { deadlines.append(deadline) }
        case .draining:
            for stream in streams where !stream.done { deadlines.append(stream.lastData + KeeperTimeouts.drainIdle) }
        case .finishing:
            for client in clients where !client.closed { deadlines.append(client.lastProgress + KeeperTimeouts.clientStall) }
        case .running:
            break
        }
        if unwrittenRecord != nil || streams.contains(where: { !$0.unwritten.isEmpty }) {
            deadlines.append(now + KeeperTimeouts.retry)
        }
        guard let nearest = deadlines.min() else { return -1 }
        let left = nearest - now
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
