import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether the keeper of a process directory is still running, from `keeper.pid`
/// ("<pid> <starttime>\n"): the pid must exist with the same start time (so a reused pid is
/// not mistaken for it) and not be a zombie (a keeper that exited but was not yet reaped by its
/// starter is dead for our purposes).
public enum KeeperLiveness {
    public static func isAlive(processDir: String) -> Bool {
        guard let recorded = recorded(processDir: processDir) else { return false }
        return isAlive(recorded)
    }

    /// Whether the keeper one read of keeper.pid named still runs (read the file once, then ask
    /// this, so a keeper.pid that appears between two reads cannot make a live keeper look dead).
    public static func isAlive(_ recorded: (pid: pid_t, startTime: UInt64)) -> Bool {
        guard let state = processState(recorded.pid) else { return false }
        return state.startTime == recorded.startTime && state.code != UInt8(ascii: "Z") && state.code != UInt8(ascii: "X")
    }

    /// The pid and start time in keeper.pid, if it is there and well-formed.
    public static func recorded(processDir: String) -> (pid: pid_t, startTime: UInt64)? {
        let path = ProcessDirLayout(directory: processDir).keeperPidPath
        guard let bytes = try? readFile(path, limit: 256) else { return nil }
        let fields = bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        guard fields.count == 2,
              let pid = pid_t(String(decoding: fields[0], as: UTF8.self)), pid > 0,
              let start = UInt64(String(decoding: fields[1], as: UTF8.self))
        else { return nil }
        return (pid, start)
    }

    /// The content keeper.pid gets for the current process.
    static func record(pid: pid_t, startTime: UInt64) -> [UInt8] {
        Array("\(pid) \(startTime)\n".utf8)
    }

    /// Field 3 (state) and field 22 (start time) of /proc/<pid>/stat.
    static func processState(_ pid: pid_t) -> (code: UInt8, startTime: UInt64)? {
        guard let stat = try? readFile("/proc/\(pid)/stat", limit: 4096),
              let close = stat.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 19, let state = fields[0].first,
              let start = UInt64(String(decoding: fields[19], as: UTF8.self))
        else { return nil }
        return (state, start)
    }
}
