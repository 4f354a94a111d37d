import Foundation
import GardenClient
import GardenProtocol
import RundleJSON
import Testing

/// Checks `condition` at several points during `seconds` (for assertions that something does NOT
/// happen: there is no state to wait for, so a short bounded wait is the test). False as soon as
/// one check fails.
private func holdsThroughout(_ seconds: Double, checks: Int = 5, _ condition: () -> Bool) -> Bool {
    for i in 0...checks {
        if !condition() { return false }
        if i < checks { usleep(UInt32(seconds / Double(checks) * 1_000_000)) }
    }
    return true
}

/// A raw request through the client's transport.
private func raw(_ client: GardenClient, _ method: String, _ target: String, body: String? = nil,
                 contentType: String? = "application/json") throws -> GardenHTTPResponse {
    var headers: [GardenHTTPHeader] = []
    if let contentType, body != nil { headers.append(GardenHTTPHeader("Content-Type", contentType)) }
    return try client.connection.roundTrip(GardenHTTPRequest(method: method, target: target, headers: headers,
                                                             body: body.map { .bytes(Array($0.utf8)) } ?? .none))
}

/// The Garden error in a response body (nil when it is not one).
private func gardenError(_ response: GardenHTTPResponse) -> GardenError? {
    guard let json = try? JSON.parse(response.body) else { return nil }
    return try? GardenError(json: json)
}

@Suite("rundle serve: grace time, daemon stop/restart, raw HTTP edges, OOM", .enabled(if: IntegrationEnvironment.enabled))
struct GardenLifecycleTests {
    @Test("grace time 500 ms: an unused container is destroyed; List does not count as use")
    func graceTimeReaps() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("grace"))
        spec.graceTimeNanos = 500_000_000
        let handle = try client.create(spec)
        let keep = try client.create(GardenContainerSpec(handle: depot.handle("keep")))  // no grace time
        #expect(pollUntil(15) { !((try? client.containers().contains(handle)) ?? true) }, "not reaped within 15 s")
        #expect(try !depot.rundle("list", ["-q"]).stdout.contains(handle), "the CLI still lists it")
        #expect(!FileManager.default.fileExists(atPath: depot.depot + "/" + handle))
        #expect(throws: GardenError.containerNotFound(handle)) { try client.info(handle) }
        #expect(try client.containers() == [keep])
        #expect(daemon.log().contains("grace time expired"))
    }

    @Test("a Run with its control connection open holds off the reaper (grace 50 ms); after it ends the container is reaped")
    func openRunHoldsGraceTime() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("held"))
        spec.graceTimeNanos = 10_000_000_000  // long enough to start the Run first
        let handle = try client.create(spec)
        let p = try client.run(handle, GardenProcessSpec(path: "sleep", args: ["5"]))
        try client.setGraceTime(handle, .milliseconds(50))
        // Only List (not a use) looks at it while the Run is open.
        #expect(holdsThroughout(1.2) { (try? client.containers().contains(handle)) ?? false },
                "reaped while a Run was attached")
        try p.signal(.kill)
        #expect(try p.wait(timeout: .seconds(30)) == 137)
        // The Run's end starts the countdown: 50 ms.
        #expect(pollUntil(15) { !((try? client.containers().contains(handle)) ?? true) }, "not reaped after the Run ended")
    }

    @Test("setGraceTime while a Run is open on a container that had no grace time: the Run still holds it")
    func setGraceTimeDuringRunWithoutPriorGrace() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("nograce")))  // grace 0: never
        let p = try client.run(handle, GardenProcessSpec(path: "sleep", args: ["5"]))
        try client.setGraceTime(handle, .milliseconds(50))
        // Garden: SetGraceTime restarts the countdown "unless paused, in which case it starts when
        // the last pause ends" — and an open Run is a pause.
        #expect(holdsThroughout(1.2) { (try? client.containers().contains(handle)) ?? false },
                "reaped while a Run was attached (the Run's pause was lost when the grace time was set)")
        try? p.signal(.kill)
        _ = try? p.wait(timeout: .seconds(30))
        #expect(pollUntil(15) { !((try? client.containers().contains(handle)) ?? true) }, "not reaped after the Run ended")
    }

    @Test("setGraceTime on a container the CLI created makes the daemon reap it")
    func setGraceTimeOnCLIContainer() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        let handle = try depot.create(depot.handle("cli"))
        #expect(try client.containers().contains(handle))
        // CLI containers have no grace time: unused, it stays.
        #expect(holdsThroughout(0.5, checks: 2) { (try? client.containers().contains(handle)) ?? false })
        try client.setGraceTime(handle, .milliseconds(300))
        #expect(pollUntil(15) { !((try? client.containers().contains(handle)) ?? true) }, "not reaped")
        #expect(try depot.rundle("list", ["-q"]).trimmedOut == "")
        #expect(throws: GardenError.containerNotFound("nope")) { try client.setGraceTime("nope", .seconds(1)) }
    }

    @Test("the grace clock survives kill -9 of the daemon: the container is reaped after the restart")
    func graceClockSurvivesRestart() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        var spec = GardenContainerSpec(handle: depot.handle("survive"))
        spec.graceTimeNanos = 3_000_000_000
        let created = ContinuousClock.now
        let handle = try daemon.unixClient.create(spec)
        #expect(FileManager.default.fileExists(atPath: depot.depot + "/.garden/grace/" + handle))
        daemon.kill9()
        try daemon.start()
        let client = daemon.unixClient
        // Unless the restart itself took most of the grace time, it is still there now.
        if ContinuousClock.now - created < .milliseconds(2500) {
            #expect(try client.containers().contains(handle), "reaped too early")
        }
        #expect(pollUntil(20) { !((try? client.containers().contains(handle)) ?? true) }, "not reaped after the restart")
        // Idle time before the restart counted, and the full grace time passed.
        let elapsed = ContinuousClock.now - created
        #expect(elapsed >= .milliseconds(2900), "reaped after only \(elapsed)")
        #expect(!FileManager.default.fileExists(atPath: depot.depot + "/.garden/grace/" + handle))
    }

    @Test("a container in use when the daemon was killed starts a full countdown after the restart")
    func inUseAtKillStartsFullCountdown() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        var spec = GardenContainerSpec(handle: depot.handle("inuse"))
        spec.graceTimeNanos = 2_000_000_000
        let handle = try daemon.unixClient.create(spec)
        let p = try daemon.unixClient.run(handle, GardenProcessSpec(path: "sleep", args: ["30"]))
        // In use for longer than its grace time: still there.
        #expect(holdsThroughout(2.2, checks: 4) { (try? daemon.unixClient.containers().contains(handle)) ?? false })
        daemon.kill9()
        #expect(throws: GardenClientError.self) { _ = try p.wait(timeout: .seconds(30)) }
        let restarting = ContinuousClock.now
        try daemon.start()
        // Had the time in use counted as idle, it would be reaped at once on start-up.
        if ContinuousClock.now - restarting < .milliseconds(1500) {
            #expect(try daemon.unixClient.containers().contains(handle), "reaped at once: the use before the kill was counted as idle")
        }
        #expect(pollUntil(15) { !((try? daemon.unixClient.containers().contains(handle)) ?? true) }, "never reaped after the restart")
        // The countdown started no earlier than the restart.
        #expect(ContinuousClock.now - restarting >= .milliseconds(1950))
    }

    @Test("SIGTERM of the daemon leaves a running process running; after a start it can be attached and killed")
    func terminateLeavesProcessesRunning() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let handle = try daemon.unixClient.create(GardenContainerSpec(handle: depot.handle("sigterm")))
        let p = try daemon.unixClient.run(handle, GardenProcessSpec(path: "sleep", args: ["30"]))
        let logBefore = daemon.log().utf8.count
        daemon.terminate()
        // The client's connections went with the daemon.
        #expect(throws: GardenClientError.self) { _ = try p.wait(timeout: .seconds(30)) }
        // A clean stop: no crash on the way down (the open Run's session ends during shutdown).
        let shutdownLog = String(daemon.log().utf8.dropFirst(logBefore)) ?? ""
        #expect(shutdownLog.contains("stopping"), "\(shutdownLog)")
        #expect(!shutdownLog.contains("Fatal error") && !shutdownLog.contains("crashed"),
                "rundle serve crashed on SIGTERM: \(shutdownLog.prefix(1500))")
        #expect(!shutdownLog.contains("Cannot schedule tasks on an EventLoop that has already shut down"),
                "\(shutdownLog.prefix(1500))")
        let ps = try depot.rundle("ps", [handle, "--json"])
        #expect(ps.status == 0, "\(ps)")
        let entry = (try? JSON.parse(ps.stdout))?.arrayValue?.first { $0["id"]?.stringValue == p.id }
        #expect(entry?["state"]?.stringValue == "running", "\(ps)")
        // Still running a moment later (nothing reaps it on the way down).
        #expect(try depot.rundle("ps", [handle]).stdout.split(separator: "\n").contains { $0.hasPrefix(p.id) && $0.contains("running") })

        try daemon.start()
        let again = try daemon.unixClient.attach(handle, processID: p.id)
        #expect(!again.isFinished)
        try again.signal(.kill)
        #expect(try again.wait(timeout: .seconds(30)) == 137)
        #expect(pollUntil(10) { ((try? depot.rundle("ps", [handle]))?.stdout.contains("exited (137)")) ?? false })
    }

    @Test("raw HTTP: unknown route 404, wrong method 405, malformed JSON, an oversized body, unknown handle")
    func rawHTTPEdges() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient

        let notFound = try raw(client, "GET", "/no/such/route")
        #expect(notFound.status == 404)
        #expect(notFound.bodyText.contains("404 page not found"), "\(notFound.bodyText.debugDescription)")

        let handle = try client.create(GardenContainerSpec(handle: depot.handle("raw")))
        let wrongMethod = try raw(client, "PUT", "/containers/\(handle)/limits/memory", body: "{\"limit_in_bytes\":1048576}")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.head.header("Allow")?.contains("GET") == true, "\(wrongMethod.head)")
        #expect(try client.currentMemoryLimits(handle) == MemoryLimits(), "the PUT changed the limit")

        // Malformed JSON and a wrong field type: Garden's error, nothing created.
        let before = try client.containers()
        let malformed = try raw(client, "POST", "/containers", body: "{\"handle\": \"x-bad\", ")
        #expect(malformed.status == 500)
        let malformedError = gardenError(malformed)
        #expect(malformedError?.type == .generic && !(malformedError?.message.isEmpty ?? true), "\(malformed.bodyText)")
        let wrongType = try raw(client, "POST", "/containers", body: "{\"handle\": 42}")
        #expect(wrongType.status == 500)
        #expect(gardenError(wrongType)?.type == .generic, "\(wrongType.bodyText)")
        #expect(try client.containers() == before)
        #expect(try depot.rundle("list", ["-q"]).trimmedOut == handle)

        // A body over 1 MiB is refused and creates nothing.
        let padding = String(repeating: "p", count: (1 << 20) + 4096)
        let big = try raw(client, "POST", "/containers", body: "{\"handle\":\"\(depot.handle("big"))\",\"env\":[\"PAD=\(padding)\"]}")
        #expect(!big.head.isSuccess)
        #expect(gardenError(big)?.message.contains("larger than") == true, "\(big.status) \(big.bodyText.prefix(300))")
        #expect(try client.containers() == before)
        // The daemon is fine afterwards.
        try client.ping()

        let unknown = try raw(client, "GET", "/containers/\(depot.handle("nope"))/info")
        #expect(unknown.status == 404)
        let unknownError = gardenError(unknown)
        #expect(unknownError?.type == .containerNotFound, "\(unknown.bodyText)")
        #expect(unknownError?.handle == depot.handle("nope"))
        #expect(unknownError?.message == "unknown handle: \(depot.handle("nope"))")
    }

    @Test("OOM: a process over its 32 MiB limit is killed, events.jsonl records it live, info reports \"Out of memory\"")
    func outOfMemory() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        var spec = GardenContainerSpec(handle: depot.handle("oom"))
        spec.limits.memory = MemoryLimits(limitInBytes: 32 << 20)
        let handle = try client.create(spec)
        #expect(try client.info(handle).events.isEmpty)
        let eventsPath = depot.depot + "/" + handle + "/events.jsonl"
        func oomLines() -> [JSON] {
            let text = (try? String(contentsOfFile: eventsPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSON.parse(Array($0.utf8)) }
                .filter { $0["type"]?.stringValue == "oom" }
        }
        #expect(oomLines().isEmpty)

        let hog = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c", "x=a; while true; do x=$x$x; done"]))
        #expect(try hog.wait(timeout: .seconds(60)) == 137)
        // Nobody asks (no info, no CLI): the daemon's watcher records it by itself.
        #expect(pollUntil(10) { !oomLines().isEmpty }, "no oom line in \(eventsPath)")
        let lines = oomLines()
        #expect(lines.allSatisfy { $0["message"]?.stringValue == "Out of memory" }, "\(lines)")

        let info = try client.info(handle)
        #expect(!info.events.isEmpty && info.events.allSatisfy { $0 == "Out of memory" }, "\(info.events)")
        #expect(info.events.count == lines.count)
        let bulk = try client.bulkInfo([handle])
        #expect(bulk[handle]?.info?.events == info.events)
    }
}
