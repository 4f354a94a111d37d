import RundleOS

/// Runs `body` on a new detached thread: process streams block on the keeper's socket and on
/// their clients' writes, so each gets a thread of its own rather than a pool worker.
/// false when the system has no thread to give; the caller decides what fails then.
@discardableResult
func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    (try? startDetachedThread(body)) != nil
}
