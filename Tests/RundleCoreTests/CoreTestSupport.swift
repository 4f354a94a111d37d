import Glibc
import Testing
import RundleOS

/// A fresh directory under /tmp, to be removed by the caller (`defer { removeTemporaryDirectory(dir) }`).
func makeTemporaryDirectory(_ label: String = "core") throws -> String {
    var template = Array("/tmp/rundle-\(label)-test-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else { throw OSError(errno: errno, call: "mkdtemp") }
    return String(cString: created)
}

/// Removes a test directory; a failure is a test failure.
func removeTemporaryDirectory(_ path: String) {
    do { try removeTree(path) } catch { Issue.record("cleanup of \(path) failed: \(error)") }
}

/// Polls `condition` until it holds or `timeout` passes (no fixed sleeps).
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return true }
        _ = poll(nil, 0, 5)
    }
    return condition()
}

/// Runs `body` on a new pthread (not a Swift concurrency thread, which must never block) and
/// returns a function that joins it.
func startThread(_ body: @escaping @Sendable () -> Void) throws -> () -> Void {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard rc == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        throw OSError(errno: rc, call: "pthread_create")
    }
    return { _ = pthread_join(thread, nil) }
}

private final class ThreadBody: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// The file's permission bits, or nil when it cannot be stat'ed.
func permissions(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}
