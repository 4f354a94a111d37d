import GardenProtocol
import Glibc
import RundleJSON
import Testing
@testable import GardenClient

/// What the fake server saw on a process's control connection and which streams were opened.
final class ProcessServerLog: Sendable {
    let control = ConditionLock<[String]>([])
    let requests = ConditionLock<[ReceivedRequest]>([])
    /// Set once the stdout and stderr handlers have written everything and closed.
    let streamsDone = ConditionLock(0)

    func waitForStreams(_ count: Int) {
        _ = streamsDone.wait(deadline: IODeadline(.seconds(10))) { $0 >= count ? true : nil }
    }

    func waitForControlLines(_ count: Int) -> [String] {
        control.wait(deadline: IODeadline(.seconds(10))) { $0.count >= count ? $0 : nil } ?? control.read { $0 }
    }
}

@Suite struct ProcessStreamTests {
    /// A server that runs "the process": announces ids, serves stdout/stderr, echoes stdin
    /// lines it receives into `log.control`, and reports `exitStatus` once the client sent
    /// stdin EOF (or immediately when `waitForStdinEOF` is false).
    func processServer(log: ProcessServerLog, exitStatus: Int = 42, waitForStdinEOF: Bool = false,
                       stdout: String = "out\n", stderr: String = "err\n") throws -> FakeGardenServer {
        try FakeGardenServer { connection in
            let request = try connection.readRequest()
            log.requests.mutate { $0.append(request) }
            if request.path.hasSuffix("/stdout") || request.path.hasSuffix("/stderr") {
                connection.write(connection.hijackHead(json: false))
                connection.write(request.path.hasSuffix("/stdout") ? stdout : stderr)
                log.streamsDone.mutate { $0 += 1 }
                return
            }
            // Head, first payload and (maybe) nothing else in one write: the client must keep
            // the bytes that came with the head.
            let status = request.method == "POST" ? "201 Created" : "200 OK"
            connection.write(connection.hijackHead(status: status) + #"{"process_id":"p1","stream_id":"7"}"# + "\n")
            if waitForStdinEOF {
                while let line = connection.readLine() {
                    log.control.mutate { $0.append(line) }
                    if line == #"{"process_id":"p1","source":0}"# { break }
                }
            }
            log.waitForStreams(2)
            connection.write(#"{"process_id":"p1","exit_status":\#(exitStatus)}"# + "\n")
        }
    }

    @Test func runStreamsOutputAndReturnsTheExitStatus() throws {
        let log = ProcessServerLog()
        let server = try processServer(log: log)
        defer { server.stop() }
        let stdout = OutputBuffer(), stderr = OutputBuffer()
        var spec = GardenProcessSpec(path: "sh", args: ["-c", "exit 42"])
        spec.id = "p1"
        let process = try server.client().run("c 1", spec, io: ProcessIO(stdout: .buffer(stdout), stderr: .buffer(stderr)))
        #expect(process.id == "p1")
        #expect(process.streamID == "7")
        #expect(try process.wait(timeout: .seconds(10)) == 42)
        #expect(try process.wait() == 42)  // again
        #expect(stdout.string == "out\n")
        #expect(stderr.string == "err\n")

        let requests = log.requests.read { $0 }
        let run = try #require(requests.first { $0.method == "POST" })
        #expect(run.target == "/containers/c%201/processes")
        #expect(run.header("Connection") == nil)
        #expect(run.header("Content-Type") == "application/json")
        #expect(try JSON.parse(run.body)["id"] == "p1")
        let streams = requests.filter { $0.method == "GET" }.map(\.target).sorted()
        #expect(streams == ["/containers/c%201/processes/p1/attaches/7/stderr",
                            "/containers/c%201/processes/p1/attaches/7/stdout"])
        for stream in requests where stream.method == "GET" {
            #expect(stream.header("Content-Type") == "application/json")
            #expect(stream.header("Connection") == nil)
        }
    }

    @Test func stdinIsSentAsPayloadsThenEOF() throws {
        let log = ProcessServerLog()
        let server = try processServer(log: log, exitStatus: 0, waitForStdinEOF: true)
        defer { server.stop() }
        let queue = ByteQueue()
        let process = try server.client().run("c", GardenProcessSpec(path: "cat"),
                                              io: ProcessIO(stdin: .queue(queue), stdout: OutputSink { _ in }, stderr: OutputSink { _ in }))
        queue.write("hello\n")
        #expect(log.waitForControlLines(1) == [#"{"process_id":"p1","source":0,"data":"hello\n"}"#])
        queue.write([0xE2, 0x9C])  // "✓" split across chunks arrives whole; a stray byte is U+FFFD
        queue.write([0x93, 0xFF])
        queue.close()
        #expect(try process.wait(timeout: .seconds(10)) == 0)
        #expect(log.control.read { $0 } == [
            #"{"process_id":"p1","source":0,"data":"hello\n"}"#,
            #"{"process_id":"p1","source":0,"data":"✓\#u{FFFD}"}"#,
            #"{"process_id":"p1","source":0}"#,
        ])
    }

    @Test func withoutSinksNoStreamsAreOpened() throws {
        let log = ProcessServerLog()
        log.streamsDone.mutate { $0 = 2 }
        let server = try processServer(log: log, exitStatus: 3)
        defer { server.stop() }
        let process = try server.client().attach("c", processID: "p1")
        #expect(try process.wait(timeout: .seconds(10)) == 3)
        let requests = log.requests.read { $0 }
        #expect(requests.map(\.target) == ["/containers/c/processes/p1"])
        #expect(requests.first?.method == "GET")
        #expect(requests.first?.header("Content-Length") == nil)
    }

    @Test func signalsAndResizesTravelOnTheControlConnection() throws {
        let lines = ConditionLock<[String]>([])
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write(connection.hijackHead(status: "201 Created") + #"{"process_id":"p","stream_id":"1"}"# + "\n")
            while let line = connection.readLine() {
                lines.mutate { $0.append(line) }
                if line.contains("signal") { break }
            }
            connection.write(#"{"process_id":"p","exit_status":137}"# + "\n")
        }
        defer { server.stop() }
        let process = try server.client().run("c", GardenProcessSpec(path: "sleep", args: ["100"]))
        try process.setTTY(TTYSpec(windowSize: GardenProtocol.WindowSize(columns: 123, rows: 45)))
        try process.signal(.kill)
        #expect(try process.wait(timeout: .seconds(10)) == 137)
        #expect(lines.read { $0 } == [
            #"{"process_id":"p","tty":{"window_size":{"columns":123,"rows":45}}}"#,
            #"{"process_id":"p","signal":1}"#,
        ])
    }

    @Test func everythingInOneWriteStillWorks() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write(connection.hijackHead(status: "201 Created")
                + #"{"process_id":"p","stream_id":"1"}"# + #"{"process_id":"p","exit_status":5}"#)
        }
        defer { server.stop() }
        #expect(try server.client().run("c", GardenProcessSpec(path: "true")).wait(timeout: .seconds(10)) == 5)
    }

    @Test func aServerErrorPayloadFailsTheWait() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write(connection.hijackHead() + #"{"process_id":"p","stream_id":"1"}"# + "\n"
                + #"{"process_id":"p","error":"lost track"}"# + "\n")
        }
        defer { server.stop() }
        let process = try server.client().attach("c", processID: "p")
        let error = try #require(throws: GardenClientError.self) { try process.wait(timeout: .seconds(10)) }
        #expect(error.code == .processFailed)
        #expect(error.message == "connection: process error: lost track")
    }

    @Test func aControlConnectionClosingWithoutStatusFailsTheWait() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write(connection.hijackHead() + #"{"process_id":"p","stream_id":"1"}"# + "\n")
        }
        defer { server.stop() }
        let process = try server.client().attach("c", processID: "p")
        let error = try #require(throws: GardenClientError.self) { try process.wait(timeout: .seconds(10)) }
        #expect(error.code == .processFailed)
        #expect(error.message.contains("EOF"))
    }

    @Test func unknownProcessesAreTypedErrors() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.respond(status: "404 Not Found", json: GardenError.processNotFound("idontexist").json().serialized())
        }
        defer { server.stop() }
        let error = try #require(throws: GardenError.self) {
            try server.client().attach("c", processID: "idontexist", io: ProcessIO(stdout: OutputSink { _ in }))
        }
        #expect(error.type == .processNotFound)
        #expect(error.processID == "idontexist")
    }

    @Test func aFailedStreamAttachFailsTheWaitAndDropsTheControlConnection() throws {
        let controlClosed = ConditionLock(false)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            if request.path.hasSuffix("/stdout") {
                connection.respond(status: "500 Internal Server Error", json: GardenError.generic("no such stream").json().serialized())
                return
            }
            connection.write(connection.hijackHead(status: "201 Created") + #"{"process_id":"p","stream_id":"1"}"# + "\n")
            _ = connection.readToEOF()
            controlClosed.mutate { $0 = true }
        }
        defer { server.stop() }
        let process = try server.client().run("c", GardenProcessSpec(path: "true"), io: ProcessIO(stdout: OutputSink { _ in }))
        let error = try #require(throws: GardenClientError.self) { try process.wait(timeout: .seconds(10)) }
        #expect(error.code == .streamAttachFailed)
        #expect(error.message == "connection: failed to hijack stream Stdout: no such stream")
        #expect(controlClosed.wait(deadline: IODeadline(.seconds(10))) { $0 ? true : nil } == true)
    }

    @Test func abandoningDropsTheConnectionsWithoutASignal() throws {
        let received = ConditionLock<[UInt8]?>(nil)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            if request.path.hasSuffix("/stdout") {
                connection.write(connection.hijackHead(json: false) + "partial")
                _ = connection.readToEOF()
                return
            }
            connection.write(connection.hijackHead(status: "201 Created") + #"{"process_id":"p","stream_id":"1"}"# + "\n")
            let rest = connection.readToEOF()
            received.mutate { $0 = rest }
        }
        defer { server.stop() }
        let stdout = OutputBuffer()
        let process = try server.client().run("c", GardenProcessSpec(path: "sleep"), io: ProcessIO(stdout: .buffer(stdout)))
        #expect(stdout.wait(forText: "partial", timeout: .seconds(10)))
        #expect(throws: GardenClientError.self) { try process.wait(timeout: .milliseconds(50)) }
        process.abandon()
        let error = try #require(throws: GardenClientError.self) { try process.wait(timeout: .seconds(10)) }
        #expect(error.code == .abandoned)
        #expect(received.wait(deadline: IODeadline(.seconds(10))) { $0 } == [])
        #expect(throws: GardenClientError.self) { try process.signal(.terminate) }
    }

    @Test func waitReturnsOnlyAfterTheOutputStreamsEnd() throws {
        let release = ConditionLock(false)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            if request.path.hasSuffix("/stdout") {
                connection.write(connection.hijackHead(json: false) + "early ")
                _ = release.wait(deadline: IODeadline(.seconds(10))) { $0 ? true : nil }
                connection.write("late")
                return
            }
            connection.write(connection.hijackHead(status: "201 Created") + #"{"process_id":"p","stream_id":"1"}"# + "\n"
                + #"{"process_id":"p","exit_status":0}"# + "\n")
        }
        defer { server.stop() }
        let stdout = OutputBuffer()
        let process = try server.client().run("c", GardenProcessSpec(path: "echo"), io: ProcessIO(stdout: .buffer(stdout)))
        #expect(throws: GardenClientError.self) { try process.wait(timeout: .milliseconds(200)) }
        #expect(!process.isFinished)
        release.mutate { $0 = true }
        #expect(try process.wait(timeout: .seconds(10)) == 0)
        #expect(stdout.string == "early late")
    }

    @Test func manyProcessesAtOnceEachGetTheirWholeOutput() throws {
        let big = String(repeating: "0123456789abcdef", count: 16_384)  // 256 KiB
        let log = ProcessServerLog()
        log.streamsDone.mutate { $0 = 2 }  // the server does not wait for the streams here
        let server = try processServer(log: log, exitStatus: 7, stdout: big, stderr: "e")
        defer { server.stop() }
        let client = server.client()
        let results = ConditionLock<[Bool]>([])
        for _ in 0..<20 {
            try startThread {
                let stdout = OutputBuffer(), stderr = OutputBuffer()
                let ok = (try? client.run("c", GardenProcessSpec(path: "yes"),
                                          io: ProcessIO(stdout: .buffer(stdout), stderr: .buffer(stderr)))
                    .wait(timeout: .seconds(20))) == 7 && stdout.count == big.utf8.count && stderr.string == "e"
                results.mutate { $0.append(ok) }
            }
        }
        let all = results.wait(deadline: IODeadline(.seconds(30))) { $0.count == 20 ? $0 : nil }
        #expect(all == Array(repeating: true, count: 20))
    }
}
