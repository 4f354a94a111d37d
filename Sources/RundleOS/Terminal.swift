import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A terminal's size in character cells.
public struct WindowSize: Sendable, Hashable {
    public var rows: UInt16
    public var columns: UInt16

    public init(rows: UInt16, columns: UInt16) {
        self.rows = rows
        self.columns = columns
    }
}

/// Whether `fd` is a terminal.
public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

/// ioctl(TIOCGWINSZ): the size of the terminal `fd`.
public func windowSize(_ fd: Int32) throws(OSError) -> WindowSize {
    var rows: UInt16 = 0
    var columns: UInt16 = 0
    try sys("ioctl(TIOCGWINSZ)") { rundle_get_window_size(fd, &rows, &columns) }
    return WindowSize(rows: rows, columns: columns)
}

/// ioctl(TIOCSWINSZ): resizes the terminal `fd` (a pty master resizes its slave too, and the
/// slave's foreground process group gets SIGWINCH).
public func setWindowSize(_ fd: Int32, _ size: WindowSize) throws(OSError) {
    try sys("ioctl(TIOCSWINSZ)") { rundle_set_window_size(fd, size.rows, size.columns) }
}

/// The terminal's end-of-file character (c_cc[VEOF], normally ^D = 4). Writing it to a pty
/// master at the start of a line makes a canonical-mode reader of the slave see EOF.
public func terminalEOFCharacter(_ fd: Int32) throws(OSError) -> UInt8 {
    UInt8(truncatingIfNeeded: try sys("tcgetattr") { rundle_terminal_eof_char(fd) })
}

/// Runs `body` with the terminal `fd` in raw mode (cfmakeraw: no echo, no line editing, no
/// signals from keys, no output processing) and restores its previous mode afterwards, also
/// when `body` throws. When `fd` is not a terminal, `body` runs unchanged.
/// Generic over the error type, so typed throws pass through (`rethrows` would erase them).
public func withRawTerminal<T, E: Error>(_ fd: Int32, _ body: () throws(E) -> T) throws(E) -> T {
    var saved = rundle_termios_t()
    guard isTerminal(fd), rundle_terminal_make_raw(fd, &saved) == 0 else { return try body() }
    defer { _ = rundle_terminal_restore(fd, &saved) }
    return try body()
}

/// A new pseudo-terminal pair: (master, slave), both O_CLOEXEC, the slave O_NOCTTY.
public func openPseudoTerminal() throws(OSError) -> (master: Int32, slave: Int32) {
    var master: Int32 = -1
    var slave: Int32 = -1
    try sys("posix_openpt") { rundle_open_pty(&master, &slave) }
    return (master, slave)
}
