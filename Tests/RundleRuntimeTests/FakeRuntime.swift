import Glibc
import Testing
import RundleJSON
import RundleOS
@testable import RundleRuntime

/// A fake OCI runtime: a `/bin/sh` script in a fresh temp directory, standing in for runc where
/// the real one will not produce the path under test (guardian's `fake_runc`).
///
/// The script checks the global flags the driver must pass (`--root R --log L --log-format
/// json`), records its whole argv in `argvFile` (one argument per line), then runs `body` with
/// `$log` (the per-call log file), `$dir` (the temp directory), `$verb` and the verb's own
/// arguments as `$@`. It exits 99 if the global flags are wrong. Nothing is left behind once
/// `remove()` has run.
struct FakeRuntime {
    let dir: String
    let binary: String
    let root: String
    let logDirectory: String

    init(_ body: String) throws {
        dir = try makeTemporaryDirectory()
        binary = dir + "/fake-runc"
        root = dir + "/state"
        logDirectory = dir + "/logs"
        let script = """
            #!/bin/sh
            dir='\(dir)'
            printf '%s\\n' "$@" > "$dir/argv"
            if [ "$1" != --root ] || [ "$2" != '\(root)' ] || [ "$3" != --log ] || [ "$5" != --log-format ] || [ "$6" != json ]; then
                echo "bad global flags: $*" >&2
                exit 99
            fi
            log="$4"
            shift 6
            verb="$1"
            shift
            \(body)

            """
        do {
            try makeDirectory(logDirectory)
            try writeFile(binary, Array(script.utf8), mode: 0o755)
        } catch {
            removeTemporaryDirectory(dir)
            throw error
        }
    }

    /// Removes the temp directory: `defer { fake.remove() }`.
    func remove() { removeTemporaryDirectory(dir) }

    func runtime(_ adjust: (inout RuntimeTimeouts) -> Void = { _ in }) -> RuncRuntime {
        var timeouts = RuntimeTimeouts()
        adjust(&timeouts)
        return RuncRuntime(binary: binary, root: root, logDirectory: logDirectory, timeouts: timeouts)
    }

    /// What the script was last called with, one element per argument.
    func argv() throws -> [String] {
        let text = String(decoding: try readFile(dir + "/argv"), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The argv after the global flags (verb and its arguments), checking the global flags.
    func verbArguments(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let all = try argv()
        try #require(all.count >= 7, sourceLocation: sourceLocation)
        #expect(Array(all[0..<3]) == ["--root", root, "--log"], sourceLocation: sourceLocation)
        #expect(all[3].hasPrefix(logDirectory + "/"), sourceLocation: sourceLocation)
        #expect(Array(all[4..<6]) == ["--log-format", "json"], sourceLocation: sourceLocation)
        return Array(all[6...])
    }

    /// The names left in the log directory (every call must remove its log).
    func leftoverLogs() throws -> [String] { try listDirectory(logDirectory) }

    func file(_ name: String) -> [UInt8]? { try? readFile(dir + "/" + name) }
}

/// Shell lines appending runtime log lines (JSON, as runc writes them) to `$log`.
func appendLog(_ lines: [(level: String, msg: String)]) -> String {
    let text = lines.map { line -> String in
        let value: JSON = ["level": JSON(line.level), "msg": JSON(line.msg), "time": "2024-01-01T00:00:00Z"]
        return value.serialized()
    }.joined(separator: "\n")
    return appendRawLog(text)
}

/// Shell lines appending `text` verbatim (plus a newline) to `$log`.
func appendRawLog(_ text: String) -> String {
    precondition(!text.contains("RUNDLE_LOG_END"))
    return "cat >> \"$log\" <<'RUNDLE_LOG_END'\n\(text)\nRUNDLE_LOG_END"
}

/// A fresh directory under /tmp, to be removed by the caller.
func makeTemporaryDirectory(_ label: String = "runtime") throws -> String {
    var template = Array("/tmp/rundle-\(label)-test-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else { throw OSError(errno: errno, call: "mkdtemp") }
    return String(cString: created)
}

func removeTemporaryDirectory(_ path: String) {
    do { try removeTree(path) } catch { Issue.record("cleanup of \(path) failed: \(error)") }
}

/// The RuntimeError `body` throws, or nil (and a recorded issue) when it returns.
func runtimeError<T>(sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws(RuntimeError) -> T) -> RuntimeError? {
    do {
        let value = try body()
        Issue.record("expected a RuntimeError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Whether no process with this pid exists any more, not even as a zombie.
func processIsGone(_ pid: pid_t) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}

/// readlink(2) as a String; nil on failure.
func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink(path, &buffer, buffer.count)
    guard count >= 0 else { return nil }
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
