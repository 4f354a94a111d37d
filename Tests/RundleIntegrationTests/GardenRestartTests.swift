import Foundation
import GardenClient
import GardenProtocol
import Testing

@Suite("rundle serve: the Garden API, and nothing lost on restart", .enabled(if: IntegrationEnvironment.enabled))
struct GardenRestartTests {
    @Test("create, run with both output streams, attach, destroy — on the unix socket and on TCP")
    func runAndAttachOnBothTransports() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        for (name, client) in [("unix", daemon.unixClient), ("tcp", daemon.tcpClient)] {
            let handle = try client.create(GardenContainerSpec(handle: depot.handle(name)))
            #expect(try client.containers().contains(handle))
            let stdout = OutputBuffer(), stderr = OutputBuffer()
            let process = try client.run(handle, GardenProcessSpec(path: "sh", args: ["-c", "echo out; echo err >&2; exit 42"]),
                                         io: ProcessIO(stdout: .buffer(stdout), stderr: .buffer(stderr)))
            #expect(try process.wait() == 42)
            #expect(stdout.string == "out\n")
            #expect(stderr.string == "err\n")
            // Attaching to a finished process returns its exit status again.
            let again = try client.attach(handle, processID: process.id)
            #expect(try again.wait() == 42)
            try client.destroy(handle)
            #expect(try !client.containers().contains(handle))
        }
    }

    @Test("kill -9 of the daemon mid-output: a re-attach gets exactly the bytes no client received, and the exit code")
    func killNineLosesNothing() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let handle = try daemon.unixClient.create(GardenContainerSpec(handle: depot.handle("restart")))
        let script = "for i in $(seq 1 40); do echo out$i; echo err$i >&2; sleep 0.05; done; exit 7"
        let stdout = OutputBuffer(), stderr = OutputBuffer()
        let process = try daemon.unixClient.run(handle, GardenProcessSpec(path: "sh", args: ["-c", script]),
                                                io: ProcessIO(stdout: .buffer(stdout), stderr: .buffer(stderr)))
        #expect(stdout.wait(forText: "out5\n", timeout: .seconds(30)))
        // Kill once the daemon has recorded what this client holds: a kill in the microseconds
        // between a socket write and its record could repeat that one chunk (docs/garden.md).
        let ledger = depot.depot + "/\(handle)/processes/\(process.id)/garden.delivered"
        #expect(pollUntil(30) {
            let fields = ((try? String(contentsOfFile: ledger, encoding: .utf8)) ?? "").split(separator: " ")
            return fields.count == 2 && UInt64(fields[0]) ?? 0 >= UInt64(stdout.count)
                && UInt64(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= UInt64(stderr.count)
        })
        daemon.kill9()
        #expect(throws: (any Error).self) { try process.wait(timeout: .seconds(30)) }
        let firstOut = stdout.string, firstErr = stderr.string
        #expect(!firstOut.contains("out40"), "the process should still be running at the kill")

        try daemon.start()
        let stdout2 = OutputBuffer(), stderr2 = OutputBuffer()
        let reattached = try daemon.unixClient.attach(handle, processID: process.id,
                                                      io: ProcessIO(stdout: .buffer(stdout2), stderr: .buffer(stderr2)))
        #expect(try reattached.wait() == 7)
        let expectedOut = (1...40).map { "out\($0)\n" }.joined()
        let expectedErr = (1...40).map { "err\($0)\n" }.joined()
        #expect(firstOut + stdout2.string == expectedOut)
        #expect(firstErr + stderr2.string == expectedErr)

        // Everything was delivered: a third client gets no byte twice, and the exit code.
        let stdout3 = OutputBuffer()
        let third = try daemon.unixClient.attach(handle, processID: process.id, io: ProcessIO(stdout: .buffer(stdout3)))
        #expect(try third.wait() == 7)
        #expect(stdout3.string == "")
        #expect(daemon.log().contains("re-adopted the depot"))
    }

    @Test("output written while no daemon runs is delivered after the restart; the CLI sees the same depot")
    func outputWhileDown() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let handle = try daemon.unixClient.create(GardenContainerSpec(handle: depot.handle("down")))
        let gate = "/tmp/gate"
        let process = try daemon.unixClient.run(handle, GardenProcessSpec(path: "sh", args: ["-c",
            "while [ ! -e \(gate) ]; do sleep 0.05; done; seq 1 2000; exit 3"]))
        process.abandon()
        daemon.kill9()
        // The CLI works on the depot with no daemon, and opens the gate.
        let listed = try depot.rundle("list", ["-q"])
        #expect(listed.stdout.contains(handle))
        #expect(try depot.rundle("exec", [handle, "--", "touch", gate]).status == 0)
        #expect(pollUntil(30) { ((try? depot.rundle("ps", [handle]))?.stdout.contains("exited")) ?? false })

        try daemon.start()
        let stdout = OutputBuffer()
        let attached = try daemon.unixClient.attach(handle, processID: process.id, io: ProcessIO(stdout: .buffer(stdout)))
        #expect(try attached.wait() == 3)
        #expect(stdout.string == (1...2000).map { "\($0)\n" }.joined())
    }

    @Test("Garden's typed errors: unknown handle, unknown process, duplicate handle, missing executable")
    func typedErrors() throws {
        let depot = try TestDepot()
        let daemon = try GardenDaemon(depot)
        defer { daemon.tearDown() }
        let client = daemon.unixClient
        #expect(throws: GardenError.containerNotFound("nope")) { try client.destroy("nope") }
        #expect(throws: GardenError.containerNotFound("x..y")) { try client.info("x..y") }
        let handle = try client.create(GardenContainerSpec(handle: depot.handle("errors")))
        #expect(throws: GardenError.processNotFound("idontexist")) { try client.attach(handle, processID: "idontexist") }
        do {
            _ = try client.create(GardenContainerSpec(handle: handle))
            Issue.record("a duplicate handle was accepted")
        } catch let error as GardenError {
            #expect(error.message == "Handle '\(handle)' already in use")
        }
        do {
            _ = try client.run(handle, GardenProcessSpec(path: "does-not-exist"))
            Issue.record("a missing executable was accepted")
        } catch let error as GardenError {
            #expect(error.type == .executableNotFound)
            #expect(error.message.contains("executable file not found in $PATH"), "\(error)")
        }
        let id = depot.handle("pid")
        var spec = GardenProcessSpec(path: "sleep", args: ["10"])
        spec.id = id
        let first = try client.run(handle, spec)
        do {
            _ = try client.run(handle, spec)
            Issue.record("a duplicate process id was accepted")
        } catch let error as GardenError {
            #expect(error.message.contains("already in use"), "\(error)")
        }
        try first.signal(.kill)
        #expect(try first.wait() == 137)
    }
}
