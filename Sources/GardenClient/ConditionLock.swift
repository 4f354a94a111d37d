#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A value guarded by a pthread mutex with a condition variable (CLOCK_MONOTONIC), for the few
/// places where a thread must sleep until another changes the value (Synchronization's Mutex
/// has no condition variable).
final class ConditionLock<State>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state: State

    init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` on the state under the lock and wakes every waiter.
    func mutate<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Reads the state under the lock.
    func read<R>(_ body: (State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(state)
    }

    /// Calls `body` under the lock until it returns a value, sleeping between calls until the
    /// state changes; nil when `deadline` passes first.
    func wait<R>(deadline: IODeadline = .never, _ body: (inout State) -> R?) -> R? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = body(&state) { return result }
            let millis = deadline.pollTimeout
            if millis < 0 {
                pthread_cond_wait(condition, mutex)
                continue
            }
            if millis == 0 { return nil }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            var nanos = Int(now.tv_nsec) + Int(millis % 1000) * 1_000_000
            var seconds = Int(now.tv_sec) + Int(millis / 1000)
            if nanos >= 1_000_000_000 {
                nanos -= 1_000_000_000
                seconds += 1
            }
            var end = timespec(tv_sec: seconds, tv_nsec: nanos)
            _ = pthread_cond_timedwait(condition, mutex, &end)
        }
    }
}
