import Synchronization

/// Every live Garden process session by stream id, and the per-process delivery ledgers they
/// share. A finished session stays findable for a minute, so a slow stdout/stderr connection
/// still gets its (empty) end, as Garden's server does.
final class StreamRegistry: Sendable {
    private struct State {
        var sessions: [String: ProcessSession] = [:]
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

    func add(_ session: ProcessSession) {
        state.withLock { $0.sessions[session.streamID] = session }
    }

    func session(streamID: String) -> ProcessSession? {
        state.withLock { $0.sessions[streamID] }
    }

    /// The session ended: forget it after `linger`, and its ledger when no session uses it.
    func ended(_ session: ProcessSession, removeAfter: @escaping @Sendable (Duration, @escaping @Sendable () -> Void) -> Void) {
        state.withLock { state in
            if var entry = state.ledgers[session.processDir] {
                entry.users -= 1
                state.ledgers[session.processDir] = entry.users > 0 ? entry : nil
            }
        }
        removeAfter(Self.linger) { [self] in
            state.withLock { _ = $0.sessions.removeValue(forKey: session.streamID) }
        }
    }

    var count: Int { state.withLock { $0.sessions.count } }
}
