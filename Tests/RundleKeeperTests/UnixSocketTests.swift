import Glibc
import RundleOS
import Testing

/// The socket helpers the keeper and its client rely on (no root needed).
@Suite struct UnixSocketTests {
    @Test func bindsAndConnectsPastTheSunPathLimit() throws {
        let base = try temporaryDirectory("sock")
        defer { removeTemporary(base) }
        let deep = base + "/" + String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60)
        try makeDirectories(deep)
        let path = deep + "/attach.sock"
        #expect(path.utf8.count > 108)
        let listener = try makeUnixListener(path: path)
        defer { closeDescriptor(listener) }
        #expect(isListeningSocket(listener))
        #expect(fileExists(path))
        let client = try connectUnixSocket(path: path)
        defer { closeDescriptor(client) }
        #expect(eventually { (try? acceptConnection(listener)).flatMap { $0 }.map { closeDescriptor($0); return true } ?? false })
    }

    @Test func passesADescriptor() throws {
        let base = try temporaryDirectory("fdpass")
        defer { removeTemporary(base) }
        let listener = try makeUnixListener(path: base + "/c.sock")
        defer { closeDescriptor(listener) }
        let client = try connectUnixSocket(path: base + "/c.sock")
        defer { closeDescriptor(client) }
        var server: Int32 = -1
        #expect(eventually { server = ((try? acceptConnection(listener)) ?? nil) ?? -1; return server >= 0 })
        defer { closeDescriptor(server) }

        let pipe = try makePipe()
        defer { closeDescriptor(pipe.read); closeDescriptor(pipe.write) }
        try setNonBlocking(client, false)
        try sendDescriptor(client, pipe.write, message: Array("/dev/pts/9".utf8))
        var received: (fd: Int32?, message: [UInt8])?
        #expect(eventually { received = (try? receiveDescriptor(server)) ?? nil; return received != nil })
        let fd = try #require(received?.fd)
        #expect(text(received?.message ?? []) == "/dev/pts/9")
        // Closed exactly once, here (a second close could hit a parallel test's new fd).
        let wrote = Result { () throws(OSError) in try writeAll(fd, Array("via passed fd".utf8)) }
        closeDescriptor(fd)
        try wrote.get()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(pipe.read, &buffer, 64)
        #expect(text(Array(buffer[0..<max(count, 0)])) == "via passed fd")
        #expect(!isListeningSocket(pipe.read))
    }

    @Test func windowSizeOnAPseudoTerminal() throws {
        let (master, slave) = try openPseudoTerminal()
        defer { closeDescriptor(master); closeDescriptor(slave) }
        try setWindowSize(master, WindowSize(rows: 33, columns: 111))
        #expect(try windowSize(slave) == WindowSize(rows: 33, columns: 111))
        #expect(isTerminal(slave))
        #expect(try terminalEOFCharacter(master) == 4)
        let mode = try withRawTerminal(slave) { () throws(OSError) in try terminalEOFCharacter(slave) }
        #expect(mode == 4)
    }
}
