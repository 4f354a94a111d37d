import Synchronization

/// Every live Garden process session by stream id, and the per-process delivery ledgers they
/// share. A finished session stays findable for a minute, so a slow stdout/stderr connection
/// still gets its (empty) end, as Garden's server does.
final class StreamRegistry: Sendable {
    private struct State {
        var sessions: [String: (session: ProcessSession, endedAt: ContinuousClock.Instant?)] = [:]
        var ledgers: [String: (ledger: DeliveryLedger, users: Int)] = [:]
        var nextID: UInt64 = 1
    }
    private let state = Mutex(State())

    static let linger: Duration = .seconds(60)

    func nextStreamID() -> String {
        state.withLock { state in
            defer { state.nextID += 1 }
            return String(state.nextID)
        }
    }

    /// The ledger of a process directory, shared by all its sessions.
    func ledger(for processDir: String) -> DeliveryLedger {
        state.withLock { state in
            if var entry = state.ledgers[processDir] {
                entry.users += 1
                state.ledgers[processDir] = entry
                return entry.ledger
            }
            let ledger = DeliveryLedger(processDir: processDir)
            state.ledgers[processDir] = (ledger, 1)
            return ledger
        }
    }

    /// Adds a session, and forgets those that ended more than `linger` ago (no timers: a
    /// daemon stopping never has one pending on a closed event loop).
    func add(_ session: ProcessSession) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.sessions = state.sessions.filter { _, entry in entry.endedAt.map { now - $0 < Self.linger } ?? true }
            state.sessions[session.streamID] = (session, nil)
        }
    }

    func session(streamID: String) -> ProcessSession? {
        state.withLock { $0.sessions[streamID]?.session }
    }

    /// The session ended: it stays findable for `linger`; its ledger goes when no session uses it.
    func ended(_ session: ProcessSession) {
        state.withLock { state in
            if var entry = state.ledgers[session.processDir] {
                entry.users -= 1
                state.ledgers[session.processDir] = entry.users > 0 ? entry : nil
            }
            if state.sessions[session.streamID] != nil { state.sessions[session.streamID]?.endedAt = .now }
        }
    }

    var count: Int { state.withLock { $0.sessions.count } }
}
