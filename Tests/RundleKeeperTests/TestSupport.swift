import Glibc
import RundleOS
import Testing

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under /tmp; remove it with `removeTemporary`.
func temporaryDirectory(_ label: String) throws -> String {
    var template = Array("/tmp/rundle-keeper-\(label)-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else { throw OSError(errno: errno, call: "mkdtemp") }
    return String(cString: created)
}

func removeTemporary(_ path: String) {
    do { try removeTree(path) } catch { Issue.record("cleanup of \(path) failed: \(error)") }
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Polls `condition` until it holds or `timeout` passes (no fixed sleeps).
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return true }
        _ = poll(nil, 0, 10)
    }
    return condition()
}

func sleepMilliseconds(_ ms: Int32) { _ = poll(nil, 0, ms) }

/// Whether no process with this pid exists any more (not even a zombie).
func processIsGone(_ pid: pid_t) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}

/// Field "PPid:" of /proc/<pid>/status.
func parentPid(of pid: pid_t) -> pid_t? {
    guard let bytes = try? readFile("/proc/\(pid)/status", limit: 1 << 16) else { return nil }
    for line in text(bytes).split(separator: "\n") where line.hasPrefix("PPid:") {
        return pid_t(line.dropFirst(5).filter { !$0.isWhitespace })
    }
    return nil
}

/// `seq 1 n` as busybox prints it.
func seqOutput(_ to: Int, from: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    for number in from...to { out.append(contentsOf: "\(number)\n".utf8) }
    return out
}
