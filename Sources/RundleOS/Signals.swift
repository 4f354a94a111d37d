#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// kill(2). A process that is gone throws too (errno ESRCH): callers that expect that check it.
public func sendSignal(_ pid: pid_t, _ signal: Int32) throws(OSError) {
    try sys("kill", path: String(pid)) { kill(pid, signal) }
}

/// A signal given as runc and kill(1) accept it: a number ("9"), or a name with or without
/// "SIG", in any case ("KILL", "SIGKILL", "kill"), including real-time ones ("RTMIN+3",
/// "SIGRTMAX-1"). Nil when unknown or outside 1...64.
public func parseSignal(_ text: String) -> Int32? {
    let trimmed = text.trimmingSpaces
    if let number = Int32(trimmed) {
        return signalRange.contains(number) ? number : nil
    }
    var name = trimmed.uppercased()
    if name.hasPrefix("SIG") { name.removeFirst(3) }
    if let number = signalNumbers[name] { return number }
    return realTimeSignal(name)
}

/// Linux signal numbers: 1 to SIGRTMAX (64).
let signalRange: ClosedRange<Int32> = 1...64

/// glibc reserves the first two real-time signals for itself, so SIGRTMIN is 34 in userspace
/// (as docker and podman count it).
private let rtMin: Int32 = 34
private let rtMax: Int32 = 64

/// The standard Linux (x86_64, aarch64) signal names, without "SIG".
private let signalNumbers: [String: Int32] = [
    "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7,
    "FPE": 8, "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14,
    "TERM": 15, "STKFLT": 16, "CHLD": 17, "CLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20,
    "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27,
    "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31,
    "RTMIN": rtMin, "RTMAX": rtMax,
]

/// "RTMIN+n" and "RTMAX-n", within the real-time range.
private func realTimeSignal(_ name: String) -> Int32? {
    let number: Int32?
    if name.hasPrefix("RTMIN+"), let offset = Int32(name.dropFirst(6)) {
        number = rtMin + offset
    } else if name.hasPrefix("RTMAX-"), let offset = Int32(name.dropFirst(6)) {
        number = rtMax - offset
    } else {
        number = nil
    }
    guard let number, (rtMin...rtMax).contains(number) else { return nil }
    return number
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
