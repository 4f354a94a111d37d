import Glibc
import Testing
@testable import RundleOS

@Suite struct SignalTests {
    @Test(arguments: [
        ("9", 9), ("KILL", 9), ("SIGKILL", 9), ("kill", 9), ("sigkill", 9), ("SigKill", 9),
        ("TERM", 15), ("SIGTERM", 15), ("15", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3),
        ("ABRT", 6), ("IOT", 6), ("USR1", 10), ("SIGUSR2", 12), ("PIPE", 13), ("ALRM", 14),
        ("CHLD", 17), ("CLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("WINCH", 28),
        ("IO", 29), ("POLL", 29), ("PWR", 30), ("SYS", 31), ("STKFLT", 16),
        ("RTMIN", 34), ("SIGRTMIN+1", 35), ("RTMAX-1", 63), ("RTMAX", 64), ("64", 64), ("1", 1),
    ] as [(String, Int32)])
    func knownSignals(name: String, number: Int32) {
        #expect(parseSignal(name) == number)
    }

    @Test(arguments: ["", "0", "65", "-1", "FOO", "SIG", "SIGFOO", "RTMIN+31", "RTMAX-31",
                      "RTMIN-1", "9x", "KILLL", "4294967305"])
    func unknownSignals(name: String) {
        #expect(parseSignal(name) == nil)
    }

    @Test func matchesTheCLibrary() {
        #expect(parseSignal("TERM") == SIGTERM)
        #expect(parseSignal("WINCH") == SIGWINCH)
        #expect(parseSignal("USR1") == SIGUSR1)
        #expect(parseSignal("CHLD") == SIGCHLD)
    }

    @Test func exitStatusShellCodes() {
        #expect(ExitStatus.exited(0).shellCode == 0)
        #expect(ExitStatus.exited(255).shellCode == 255)
        #expect(ExitStatus.signaled(15).shellCode == 143)
        #expect(ExitStatus(waitStatus: 7 << 8) == .exited(7))
        #expect(ExitStatus(waitStatus: 9) == .signaled(9))
        #expect(ExitStatus(waitStatus: 0x80 | 11) == .signaled(11))   // core dumped
    }
}
