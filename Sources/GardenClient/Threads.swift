import RundleOS

/// Runs `body` on a new detached thread. Process streams block in poll(2) for as long as a
/// process runs, so they get threads of their own rather than Dispatch's bounded pool.
func startThread(_ body: @escaping @Sendable () -> Void) throws(GardenClientError) {
    do { try startDetachedThread(body) } catch {
        throw GardenClientError(.connectionFailed, "cannot start a thread: \(error)")
    }
}
