import Glibc
import RundleOS
import Testing
@testable import GardenClient

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// A scripted server on a unix socket in a fresh temporary directory: every accepted
/// connection runs `handler` on its own thread. For exercising the client's wire behaviour.
final class FakeGardenServer: Sendable {
    let directory: String
    let path: String
    private let listener: Int32
    private let stopped = ConditionLock(false)
    private let running = ConditionLock(0)

    init(_ handler: @escaping @Sendable (FakeConnection) throws -> Void) throws {
        var template = Array("/tmp/garden-client-test-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw OSError(errno: errno, call: "mkdtemp") }
        directory = String(cString: created)
        path = directory + "/garden.sock"
        listener = try makeUnixListener(path: path)
        let listener = self.listener
        let stopped = self.stopped
        let running = self.running
        running.mutate { $0 += 1 }
        try startThread {
            defer { running.mutate { $0 -= 1 } }
            while !stopped.read({ $0 }) {
                var entries = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
                _ = try? pollDescriptors(&entries, timeoutMilliseconds: 20)
                guard let fd = try? acceptConnection(listener) else { continue }
                try? setNonBlocking(fd, false)
                running.mutate { $0 += 1 }
                do {
                    try startThread {
                        defer { running.mutate { $0 -= 1 } }
                        let connection = FakeConnection(fd: fd)
                        do {
                            try handler(connection)
                        } catch {
                            Issue.record("fake server handler failed: \(error)")
                        }
                        connection.close()
                    }
                } catch {
                    running.mutate { $0 -= 1 }
                    closeDescriptor(fd)
                }
            }
        }
    }

    var address: GardenAddress { .unix(path) }

    func client(_ options: GardenClientOptions = GardenClientOptions(responseTimeout: .seconds(10))) -> GardenClient {
        GardenClient(address: address, options: options)
    }

    /// Stops accepting, waits (bounded) for the handlers, removes the directory.
    func stop() {
        stopped.mutate { $0 = true }
        _ = running.wait(deadline: IODeadline(.seconds(10))) { $0 == 0 ? true : nil }
        closeDescriptor(listener)
        unlink(path)
        rmdir(directory)
    }
}

/// One request as the fake server read it.
struct ReceivedRequest: Sendable {
    var method: String
    var target: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var path: String { String(target.prefix { $0 != "?" }) }
}

/// The server side of one connection: blocking reads with a buffer, raw writes.
final class FakeConnection: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    init(fd: Int32) { self.fd = fd }

    /// Reads more into the buffer: false at EOF.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// One line without its CRLF; nil at EOF.
    func readLine() -> String? {
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<lf])
                buffer.removeFirst(lf + 1)
                if line.last == 0x0D { line.removeLast() }
                return text(line)
            }
            guard fill() else { return nil }
        }
    }

    /// Exactly `count` bytes (fewer at EOF).
    func readBytes(_ count: Int) -> [UInt8] {
        while buffer.count < count { if !fill() { break } }
        let n = min(count, buffer.count)
        defer { buffer.removeFirst(n) }
        return Array(buffer[..<n])
    }

    /// Everything until the client closes (or shuts down writing).
    func readToEOF() -> [UInt8] {
        while fill() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// A request head and body (Content-Length or chunked).
    func readRequest() throws -> ReceivedRequest {
        guard let requestLine = readLine() else { throw TestFailure("EOF before a request") }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2] == "HTTP/1.1" else { throw TestFailure("bad request line \(requestLine)") }
        var headers: [(String, String)] = []
        while let line = readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw TestFailure("bad header \(line)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces()))
        }
        var request = ReceivedRequest(method: String(parts[0]), target: String(parts[1]), headers: headers, body: [])
        if request.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while let sizeLine = readLine() {
                guard let size = Int(sizeLine.prefix { $0 != ";" }, radix: 16) else { throw TestFailure("bad chunk size \(sizeLine)") }
                if size == 0 {
                    while let trailer = readLine(), !trailer.isEmpty {}
                    break
                }
                request.body += readBytes(size)
                guard readLine() == "" else { throw TestFailure("chunk not followed by CRLF") }
            }
        } else if let length = request.header("Content-Length").flatMap({ Int($0) }) {
            request.body = readBytes(length)
        }
        return request
    }

    /// Newline-delimited JSON lines the client sent after the head, until EOF.
    func readLines() -> [String] {
        var lines: [String] = []
        while let line = readLine() { lines.append(line) }
        return lines
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func write(_ string: String) { write(Array(string.utf8)) }

    /// A complete JSON response with Content-Length.
    func respond(status: String = "200 OK", json: String, extraHeaders: String = "") {
        let body = json + "\n"
        write("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\n\(extraHeaders)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    /// The head of a hijacked stream as upstream writes it.
    func hijackHead(status: String = "200 OK", json: Bool = true) -> String {
        "HTTP/1.1 \(status)\r\n" + (json ? "Content-Type: application/json\r\n" : "")
            + "Date: Mon, 01 Jan 2026 00:00:00 GMT\r\nTransfer-Encoding: chunked\r\n\r\n"
    }

    func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    func close() {
        guard !closed else { return }
        closed = true
        closeDescriptor(fd)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
