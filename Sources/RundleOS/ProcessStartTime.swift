#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. Nil when
/// the process is gone or the file is unreadable. A pid paired with its start time names one
/// process for good, even after the pid is reused.
public func processStartTime(_ pid: pid_t) -> UInt64? {
    guard pid > 0, let stat = try? readFile("/proc/\(pid)/stat", limit: 4096) else { return nil }
    // Field 2, the command name, is in parentheses and may itself contain ") " — so count
    // fields from the last ')'. The field after it is field 3 (state); 22 is 19 further on.
    guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
    let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
    guard fields.count > 19 else { return nil }
    return UInt64(String(decoding: fields[19], as: UTF8.self))
}
