import Foundation
import GardenClient
import GardenProtocol
import RundleJSON
import Testing

/// Runs a host shell script (tar, diff…) for the container tests.
private func hostShell(_ script: String) throws -> RundleResult {
    try Run.command("/bin/sh", ["-c", script])
}

@Suite("rundle serve: properties, list, bulk calls, metrics, limits, stop, files, network, capacity",
       .enabled(if: IntegrationEnvironment.enabled))
struct GardenContainerTests {
    @Test("properties: set at create, visible in info and properties; get, set, remove; a missing key errors")
    func properties() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("props"))
        spec.properties = ["colour": "blue", "size": "large", "with space": "a b=c&d"]
        let handle = try client.create(spec)

        let info = try client.info(handle)
        #expect(info.properties["colour"] == "blue")
        #expect(info.properties["size"] == "large")
        #expect(info.properties["with space"] == "a b=c&d")
        let all = try client.properties(handle)
        #expect(all["colour"] == "blue" && all["size"] == "large" && all["with space"] == "a b=c&d", "\(all)")
        #expect(try client.property(handle, "colour") == "blue")
        #expect(try client.property(handle, "with space") == "a b=c&d")

        try client.setProperty(handle, "colour", "green")
        try client.setProperty(handle, "new", "value")
        #expect(try client.property(handle, "colour") == "green")
        #expect(try client.property(handle, "new") == "value")
        #expect(try client.info(handle).properties["new"] == "value")

        try client.removeProperty(handle, "size")
        #expect(try client.properties(handle)["size"] == nil)
        // Removing a key that is not there is not an error (as Guardian).
        try client.removeProperty(handle, "size")

        do {
            _ = try client.property(handle, "size")
            Issue.record("a removed property was returned")
        } catch let error as GardenError {
            #expect(error.type == .generic, "\(error)")
            #expect(error.message.contains("property does not exist"), "\(error)")
        }
        do {
            _ = try client.property(handle, "never-set")
            Issue.record("a missing property was returned")
        } catch let error as GardenError {
            #expect(error.message == "property does not exist: never-set", "\(error)")
        }
        // An unknown container is still ContainerNotFound, not a missing property.
        #expect(throws: GardenError.containerNotFound("nope")) { try client.property("nope", "colour") }
    }

    @Test("list filtered by properties returns exactly the matching handles")
    func listByProperties() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.tcpClient
        func make(_ name: String, _ properties: [String: String]) throws -> String {
            var spec = GardenContainerSpec(handle: depot.handle(name))
            spec.properties = properties
            return try client.create(spec)
        }
        let webA = try make("web-a", ["role": "web", "zone": "a"])
        let webB = try make("web-b", ["role": "web", "zone": "b"])
        let db = try make("db-a", ["role": "db", "zone": "a"])
        let bare = try make("bare", [:])

        #expect(Set(try client.containers()) == [webA, webB, db, bare])
        #expect(Set(try client.containers(matching: ["role": "web"])) == [webA, webB])
        #expect(Set(try client.containers(matching: ["zone": "a"])) == [webA, db])
        #expect(try client.containers(matching: ["role": "web", "zone": "a"]) == [webA])
        #expect(try client.containers(matching: ["role": "cache"]).isEmpty)
        #expect(try client.containers(matching: ["missing-key": "x"]).isEmpty)
        // A property set later is filtered on too.
        try client.setProperty(bare, "role", "web")
        #expect(Set(try client.containers(matching: ["role": "web"])) == [webA, webB, bare])
    }

    @Test("bulkInfo and bulkMetrics: an entry per handle, an unknown handle's entry has Err")
    func bulkCalls() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("bulk"))
        spec.properties = ["k": "v"]
        let handle = try client.create(spec)
        let unknown = depot.handle("unknown")

        let infos = try client.bulkInfo([handle, unknown])
        #expect(Set(infos.keys) == [handle, unknown])
        #expect(infos[handle]?.error == nil)
        #expect(infos[handle]?.info?.state == "active")
        #expect(infos[handle]?.info?.properties["k"] == "v")
        #expect(infos[unknown]?.info == nil)
        #expect(infos[unknown]?.error?.message == "unknown handle: \(unknown)", "\(String(describing: infos[unknown]))")

        let metrics = try client.bulkMetrics([handle, unknown])
        #expect(Set(metrics.keys) == [handle, unknown])
        #expect(metrics[handle]?.error == nil)
        #expect((metrics[handle]?.metrics?.ageNanos ?? 0) > 0)
        #expect(metrics[unknown]?.metrics == nil)
        #expect(metrics[unknown]?.error?.message == "unknown handle: \(unknown)", "\(String(describing: metrics[unknown]))")

        #expect(try client.bulkInfo([]).isEmpty)
    }

    @Test("metrics: CPU usage, pids, age and memory move once something ran")
    func metrics() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("metrics"))
        spec.limits.pid = PidLimits(max: 128)
        let handle = try client.create(spec)
        // Burn a little CPU, then keep a process around.
        let burn = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c", "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"]))
        #expect(try burn.wait(timeout: .seconds(60)) == 0)
        let sleeper = try client.run(handle, GardenProcessSpec(path: "sleep", args: ["100"]))
        defer { try? sleeper.signal(.kill) }

        let m = try client.metrics(handle)
        #expect(m.cpuUsage > 0, "\(m)")
        #expect(m.pidCurrent >= 2, "init and sleep: \(m)")
        #expect(m.pidMax == 128)
        #expect(m.ageNanos > 0)
        #expect((m.memoryStat["TotalUsageTowardLimit"]?.uint64Value ?? 0) > 0, "\(m.memoryStat)")
        // Age grows.
        #expect(pollUntil(10) { ((try? client.metrics(handle))?.ageNanos ?? 0) > m.ageNanos })

        let bulk = try client.bulkMetrics([handle])
        #expect((bulk[handle]?.metrics?.cpuUsage ?? 0) > 0)
        #expect((bulk[handle]?.metrics?.pidCurrent ?? 0) > 0)
    }

    @Test("limits: memory and CPU shares as created; disk and bandwidth empty")
    func limits() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("limits"))
        spec.limits.memory = MemoryLimits(limitInBytes: 96 << 20)
        spec.limits.cpu = CPULimits(limitInShares: 512)
        spec.limits.disk = DiskLimits(byteHard: 1 << 30)  // accepted, not enforced
        let handle = try client.create(spec)
        #expect(try client.currentMemoryLimits(handle) == MemoryLimits(limitInBytes: 96 << 20))
        #expect(try client.currentCPULimits(handle).limitInShares == 512)
        #expect(try client.currentDiskLimits(handle) == DiskLimits())
        #expect(try client.currentBandwidthLimits(handle) == BandwidthLimits())

        // A container without limits: nothing reported for memory.
        let plain = try client.create(GardenContainerSpec(handle: depot.handle("plain")))
        #expect(try client.currentMemoryLimits(plain) == MemoryLimits())
        #expect(throws: GardenError.containerNotFound("nope")) { try client.currentMemoryLimits("nope") }
    }

    @Test("stop(kill: false): TERM to every process (143, or a trap's 42), their Runs return, the state is stopped")
    func stopTerminates() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("stop")))
        let out = OutputBuffer(), trapOut = OutputBuffer()
        let plain = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c", "echo ready; exec sleep 100"]),
                                   io: ProcessIO(stdout: .buffer(out)))
        let trapping = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c",
            "trap 'exit 42' TERM; echo ready; while true; do sleep 0.05; done"]), io: ProcessIO(stdout: .buffer(trapOut)))
        #expect(out.wait(forText: "ready\n", timeout: .seconds(20)))
        #expect(trapOut.wait(forText: "ready\n", timeout: .seconds(20)))
        #expect(try client.info(handle).state == "active")
        let started = ContinuousClock.now
        try client.stop(handle, kill: false)
        #expect(ContinuousClock.now - started < .seconds(9), "TERM alone should have ended both")
        #expect(try plain.wait(timeout: .seconds(30)) == 143)
        #expect(try trapping.wait(timeout: .seconds(30)) == 42)
        let info = try client.info(handle)
        #expect(info.state == "stopped")
        #expect(info.processIDs.isEmpty, "\(info.processIDs)")
        // The exit code is kept for a later attach.
        #expect(try client.attach(handle, processID: plain.id).wait(timeout: .seconds(30)) == 143)
        // A stopped container runs nothing new, but its files can still be streamed out.
        #expect(throws: GardenError.self) { _ = try client.run(handle, GardenProcessSpec(path: "true")) }
        #expect(try !client.streamOut(handle, source: "/etc/passwd").isEmpty)
    }

    @Test("stream-in of a host-made tar, then stream-out and compare; a truncated tar is an error")
    func streamInAndOut() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("files")))

        let src = depot.dir + "/src"
        let made = try hostShell("""
            set -e
            mkdir -p \(src)/sub/deeper
            printf hello > \(src)/a.txt
            chmod 640 \(src)/a.txt
            head -c 300000 /dev/urandom > \(src)/sub/blob
            printf deep > \(src)/sub/deeper/file
            ln -s a.txt \(src)/link
            tar -C \(depot.dir) -cf \(depot.dir)/in.tar src
            """)
        #expect(made.status == 0, "\(made)")
        let tar = try [UInt8](Data(contentsOf: URL(fileURLWithPath: depot.dir + "/in.tar")))
        try client.streamIn(handle, destination: "/tmp/dest", tar: .bytes(tar))

        let out = OutputBuffer()
        let check = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c",
            "cat /tmp/dest/src/a.txt; echo; cat /tmp/dest/src/sub/deeper/file; echo; readlink /tmp/dest/src/link; wc -c < /tmp/dest/src/sub/blob"]),
            io: ProcessIO(stdout: .buffer(out)))
        #expect(try check.wait(timeout: .seconds(30)) == 0)
        #expect(out.string.replacingOccurrences(of: " ", with: "") == "hello\ndeep\na.txt\n300000\n", "\(out.string.debugDescription)")

        // Out again (chunked request side done; now the response side), and compare on the host.
        let back = try client.streamOut(handle, source: "/tmp/dest/src")
        #expect(back.count > 300_000)
        try Data(back).write(to: URL(fileURLWithPath: depot.dir + "/out.tar"))
        let compared = try hostShell("""
            mkdir \(depot.dir)/back && tar -C \(depot.dir)/back -xf \(depot.dir)/out.tar && \
            diff -r --no-dereference \(src) \(depot.dir)/back/src && stat -c %a \(depot.dir)/back/src/a.txt
            """)
        #expect(compared.status == 0 && compared.stdout == "640\n", "\(compared)")

        // The same tar as a chunked body (a reader source) works too.
        let chunks = ConditionChunks(tar, size: 7000)
        try client.streamIn(handle, destination: "/tmp/chunked", tar: .reader { chunks.next() })
        let listed = OutputBuffer()
        #expect(try client.run(handle, GardenProcessSpec(path: "cat", args: ["/tmp/chunked/src/sub/deeper/file"]),
                               io: ProcessIO(stdout: .buffer(listed))).wait(timeout: .seconds(30)) == 0)
        #expect(listed.string == "deep")

        // A tar cut in the middle of the blob's data.
        let blobHeader = try #require(findHeader(tar, name: "src/sub/blob"))
        let truncated = Array(tar[..<(blobHeader + 512 + 10_000)])
        do {
            try client.streamIn(handle, destination: "/tmp/truncated", tar: .bytes(truncated))
            Issue.record("a truncated tar was accepted")
        } catch let error as GardenError {
            #expect(error.message.contains("error streaming in"), "\(error)")
        }
        // Stream-out of something missing is an error before any byte.
        #expect(throws: GardenError.self) { _ = try client.streamOut(handle, source: "/tmp/does-not-exist") }
    }

    @Test("netIn maps a container port to the same host port, refuses another; netOut accepts rules")
    func network() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("net")))

        #expect(try client.netIn(handle, hostPort: 0, containerPort: 8080) == NetInResponse(hostPort: 8080, containerPort: 8080))
        #expect(try client.netIn(handle, hostPort: 8081, containerPort: 0) == NetInResponse(hostPort: 8081, containerPort: 8081))
        do {
            _ = try client.netIn(handle, hostPort: 61001, containerPort: 8080)
            Issue.record("a different host port was accepted")
        } catch let error as GardenError {
            #expect(error.message.contains("61001"), "\(error)")
        }
        #expect(throws: GardenError.self) { _ = try client.netIn(handle, hostPort: 0, containerPort: 0) }
        #expect(throws: GardenError.containerNotFound("nope")) { _ = try client.netIn("nope", hostPort: 0, containerPort: 8080) }

        let rule: JSON = [
            "protocol": 1,
            "networks": [["start": "10.0.0.1", "end": "10.0.0.9"]],
            "ports": [["start": 80, "end": 443]],
            "log": true,
        ]
        try client.netOut(handle, rule: rule)
        try client.bulkNetOut(handle, rules: [rule, ["protocol": 2]])
        #expect(throws: GardenError.self) { try client.netOut(handle, rule: .array([rule])) }
        #expect(throws: GardenError.containerNotFound("nope")) { try client.netOut("nope", rule: rule) }
    }

    @Test("capacity numbers are all > 0; ping answers")
    func capacityAndPing() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        for client in [daemon.unixClient, daemon.tcpClient] {
            try client.ping()
            let capacity = try client.capacity()
            #expect(capacity.memoryInBytes > 0, "\(capacity)")
            #expect(capacity.diskInBytes > 0, "\(capacity)")
            #expect(capacity.schedulableDiskInBytes > 0, "\(capacity)")
            #expect(capacity.maxContainers > 0, "\(capacity)")
            #expect(capacity.schedulableDiskInBytes <= capacity.diskInBytes)
        }
    }
}

/// The offset of the ustar header of `name` in `tar`.
private func findHeader(_ tar: [UInt8], name: String) -> Int? {
    let wanted = Array(name.utf8)
    var offset = 0
    while offset + 512 <= tar.count {
        let field = tar[offset..<(offset + 100)].prefix { $0 != 0 }
        if field.isEmpty { return nil }
        if Array(field) == wanted { return offset }
        let sizeText = String(decoding: tar[(offset + 124)..<(offset + 136)].prefix { $0 != 0 && $0 != 0x20 }, as: UTF8.self)
        guard let size = Int(sizeText, radix: 8) else { return nil }
        offset += 512 + (size + 511) / 512 * 512
    }
    return nil
}

/// Hands out `bytes` in pieces of `size` (a stream-in body of unknown length).
private final class ConditionChunks: @unchecked Sendable {
    private let lock = NSLock()
    private let bytes: [UInt8]
    private let size: Int
    private var offset = 0

    init(_ bytes: [UInt8], size: Int) {
        self.bytes = bytes
        self.size = size
    }

    func next() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        let end = min(bytes.count, offset + size)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
