import Glibc
import Testing
@testable import RundleOS

/// Whether the tests run as root (mount tests need it).
let runningAsRoot = geteuid() == 0

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under /tmp, to be removed by the caller (`defer { cleanUp(dir) }`).
func makeTemporaryDirectory(_ label: String = "os") throws -> String {
    var template = Array("/tmp/rundle-\(label)-test-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else { throw OSError(errno: errno, call: "mkdtemp") }
    return String(cString: created)
}

/// Best-effort removal of a test directory.
func cleanUp(_ path: String) {
    do { try removeTree(path) } catch { Issue.record("cleanup of \(path) failed: \(error)") }
}

func shell(_ script: String) -> SpawnOptions {
    SpawnOptions(executable: "/bin/sh", arguments: ["-c", script])
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Polls `condition` until it holds or `timeout` passes (no fixed sleeps).
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return true }
        _ = poll(nil, 0, 5)
    }
    return condition()
}

/// Whether no process with this pid exists any more (not even a zombie).
func processIsGone(_ pid: pid_t) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}

/// Runs `body` on a new pthread (not a Swift concurrency thread) and returns a join function.
func startThread(_ body: @escaping @Sendable () -> Void) throws -> () -> Void {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue() as! Box
        box.body()
        return nil
    }, context)
    guard rc == 0 else {
        Unmanaged<AnyObject>.fromOpaque(context).release()
        throw OSError(errno: rc, call: "pthread_create")
    }
    return { _ = pthread_join(thread, nil) }
}

/// readlink(2) as a String; nil on failure.
func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink(path, &buffer, buffer.count)
    guard count >= 0 else { return nil }
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
