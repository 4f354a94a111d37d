import GardenProtocol
import Glibc
import RundleJSON
import RundleOS
import Testing
@testable import GardenClient

@Suite struct HTTPTransportTests {
    @Test func ordinaryRequestsLookLikeTheGoClients() throws {
        let seen = ConditionLock<ReceivedRequest?>(nil)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            seen.mutate { $0 = request }
            connection.respond(json: #"{"Handle":"c1"}"#)
        }
        defer { server.stop() }
        var spec = GardenContainerSpec(handle: "c1")
        spec.env = ["A=1"]
        #expect(try server.client().create(spec) == "c1")
        let request = try #require(seen.read { $0 })
        #expect(request.method == "POST")
        #expect(request.target == "/containers")
        #expect(request.header("Host") == "api")
        #expect(request.header("Connection") == "close")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Content-Length") == String(request.body.count))
        #expect(request.body.last == 0x0A)
        let json = try JSON.parse(request.body)
        #expect(json["handle"] == "c1")
        #expect(json["env"] == ["A=1"])
    }

    @Test func bodylessRequestsHaveNoContentHeadersAndEncodeQueriesLikeGo() throws {
        let seen = ConditionLock<[ReceivedRequest]>([])
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            seen.mutate { $0.append(request) }
            connection.respond(json: #"{"Handles":["a","b"]}"#)
        }
        defer { server.stop() }
        let handles = try server.client().containers(matching: ["b key": "x/y", "a": "1"])
        #expect(handles == ["a", "b"])
        let request = try #require(seen.read { $0.first })
        #expect(request.target == "/containers?a=1&b+key=x%2Fy")
        #expect(request.header("Content-Type") == nil)
        #expect(request.header("Content-Length") == nil)
        #expect(request.header("Transfer-Encoding") == nil)
    }

    @Test func chunkedResponsesAreDecodedWhateverTheReadBoundaries() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n")
            for piece in ["9;ext=1\r\n{\"Val", "ue\"", "\r\n", "a\r\n:\"hello\"}\n\r", "\n0\r\nX-Trailer: 1\r\n\r\n"] {
                connection.write(piece)
                usleep(5_000)
            }
        }
        defer { server.stop() }
        #expect(try server.client().property("h", "k") == "hello")
    }

    @Test func bodiesReadUntilCloseAndBareLineFeedsAreAccepted() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"memory_in_bytes\":9223372036854771712,")
            usleep(5_000)
            connection.write("\"max_containers\":250}\n")
        }
        defer { server.stop() }
        let capacity = try server.client().capacity()
        #expect(capacity.memoryInBytes == 9_223_372_036_854_771_712)
        #expect(capacity.maxContainers == 250)
    }

    @Test func serverErrorsAreThrownAsGardenErrors() throws {
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            let handle = request.path.split(separator: "/").last.map(String.init) ?? ""
            connection.respond(status: "404 Not Found", json: GardenError.containerNotFound(handle).json().serialized())
        }
        defer { server.stop() }
        do {
            try server.client().destroy("not-a-real-handle")
            Issue.record("destroy succeeded")
        } catch let error as GardenError {
            #expect(error.type == .containerNotFound)
            #expect(error.handle == "not-a-real-handle")
            #expect(error.description == "unknown handle: not-a-real-handle")
        }
    }

    @Test func nonJSONErrorsAndEmptySuccessBodiesAreBadResponses() throws {
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            if request.path == "/ping" {
                connection.write("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\n404 page not found\n")
            } else {
                connection.write("HTTP/1.1 204 No Content\r\n\r\n")
            }
        }
        defer { server.stop() }
        let client = server.client()
        let notFound = try #require(throws: GardenClientError.self) { try client.ping() }
        #expect(notFound.code == .badResponse)
        #expect(notFound.message.hasPrefix("bad response: 404 Not Found"))
        #expect(notFound.message.contains("404 page not found"))
        let empty = try #require(throws: GardenClientError.self) { try client.destroy("h") }
        #expect(empty.code == .badResponse)
        #expect(empty.message.contains("EOF"))
    }

    @Test func aTruncatedBodyIsAnError() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"value\":")
        }
        defer { server.stop() }
        let error = try #require(throws: GardenClientError.self) { try server.client().property("h", "k") }
        #expect(error.code == .connectionFailed)
    }

    @Test func oversizedHeadsAreRefused() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n{}\n")
        }
        defer { server.stop() }
        let error = try #require(throws: GardenClientError.self) { try server.client().ping() }
        #expect(error.code == .badResponse)
    }

    @Test func aSilentServerTimesOut() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            _ = connection.readToEOF()
        }
        defer { server.stop() }
        let client = server.client(GardenClientOptions(responseTimeout: .milliseconds(200)))
        let start = ContinuousClock.now
        let error = try #require(throws: GardenClientError.self) { try client.ping() }
        #expect(error.code == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func connectFailuresAreTyped() throws {
        let client = GardenClient(address: .unix("/nonexistent/garden.sock"))
        let error = try #require(throws: GardenClientError.self) { try client.ping() }
        #expect(error.code == .connectFailed)
        #expect(error.message.contains("/nonexistent/garden.sock"))
    }

    @Test func streamInSendsAChunkedTarFromADescriptor() throws {
        let seen = ConditionLock<ReceivedRequest?>(nil)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            seen.mutate { $0 = request }
            connection.respond(json: "{}")
        }
        defer { server.stop() }
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let pipe = try makePipe()
        try startThread {
            _ = try? payload.withUnsafeBytes { raw in Result { () throws(OSError) in try writeFully(pipe.write, raw) } }.get()
            closeDescriptor(pipe.write)
        }
        defer { closeDescriptor(pipe.read) }
        try server.client().streamIn("h1", user: "alice", destination: "/home/alice dir", tar: .fileDescriptor(pipe.read))
        let request = try #require(seen.read { $0 })
        #expect(request.method == "PUT")
        #expect(request.target == "/containers/h1/files?destination=%2Fhome%2Falice+dir&user=alice")
        #expect(request.header("Transfer-Encoding") == "chunked")
        #expect(request.header("Content-Type") == "application/x-tar")
        #expect(request.body == payload)
    }

    @Test func streamInFromBytesUsesContentLength() throws {
        let seen = ConditionLock<ReceivedRequest?>(nil)
        let server = try FakeGardenServer { connection in
            let request = try connection.readRequest()
            seen.mutate { $0 = request }
            connection.respond(json: "{}")
        }
        defer { server.stop() }
        try server.client().streamIn("h1", destination: "/", tar: .bytes([1, 2, 3]))
        let request = try #require(seen.read { $0 })
        #expect(request.header("Content-Length") == "3")
        #expect(request.body == [1, 2, 3])
    }

    @Test func streamOutDeliversTheRawBody() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        }
        defer { server.stop() }
        #expect(try server.client().streamOut("h", source: "/etc/") == Array("abcde".utf8))
    }

    @Test func rawRoundTripsReturnAnyStatus() throws {
        let server = try FakeGardenServer { connection in
            _ = try connection.readRequest()
            connection.write("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\n\r\n")
        }
        defer { server.stop() }
        let response = try server.client().connection.roundTrip(
            GardenHTTPRequest(method: "PUT", target: "/containers/h/limits/memory", body: .bytes(Array("{}\n".utf8))))
        #expect(response.status == 405)
        #expect(response.head.header("allow") == "GET")
        #expect(response.body.isEmpty)
    }

    @Test func tcpWorksToo() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(listener, raw, length) == 0, listen(listener, 4) == 0,
                      getsockname(listener, raw, &length) == 0 else { throw TestFailure("bind: \(errno)") }
            }
        }
        let port = UInt16(bigEndian: address.sin_port)
        try startThread {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            let connection = FakeConnection(fd: fd)
            _ = try? connection.readRequest()
            connection.respond(json: "{}")
            connection.close()
        }
        try GardenClient("tcp://127.0.0.1:\(port)").ping()
    }
}
