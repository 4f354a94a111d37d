import Foundation
import RundleJSON
import Testing

/// `rundle stats --json` of one container (the first entry of the array).
private func stats(_ t: TestDepot, _ h: String) throws -> JSON? {
    let r = try t.rundle("stats", ["--json", h])
    guard r.status == 0 else { return nil }
    return try JSON.parse(r.stdout).arrayValue?.first
}

private func oomEvents(_ t: TestDepot, _ h: String) throws -> [JSON] {
    let r = try t.rundle("events", ["--json", h])
    guard r.status == 0 else { return [] }
    return (try JSON.parse(r.stdout).arrayValue ?? []).filter { $0["type"]?.stringValue == "oom" }
}

@Suite("events (OOM) and stats", .enabled(if: IntegrationEnvironment.enabled), .serialized)
struct EventsTests {
    @Test func anOOMKillWhileNoRundleCommandRanIsRecordedExactlyOnce() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--memory", "32M"])
        #expect(try oomEvents(t, h).isEmpty)
        // The hog runs detached; nothing looks at the container until it has died.
        let id = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "a=$(head -c 100000000 /dev/zero | tr '\\000' x); echo survived"]).trimmedOut
        #expect(waitExited(t, h, id, seconds: 60))
        let state = try processState(t, h, id)
        #expect(state?["exitCode"]?.int64Value == 137, "the hog should be SIGKILLed: \(String(describing: state))")
        // The first look is `inspect`: it records the kill and reports it as Garden does.
        // One event per kill the kernel counted (the OOM killer may take more than one process
        // of the pipeline), each counter value exactly once.
        let info = try JSON.parse(try t.rundle("inspect", [h, "--json"]).stdout)
        let messages = info["events"]?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []
        #expect(!messages.isEmpty && messages.allSatisfy { $0 == "Out of memory" }, "\(messages)")
        #expect(try t.rundle("inspect", [h]).stdout.contains("Out of memory"))
        let events = try oomEvents(t, h)
        let kills = UInt64(events.count)
        #expect(kills >= 1, "\(events)")
        #expect(events.map { $0["oomKillCount"]?.uint64Value } == (1...max(kills, 1)).map { Optional($0) })
        #expect(events.allSatisfy { $0["message"]?.stringValue == "Out of memory" })
        // Looking again (inspect, events, stats) records nothing twice.
        _ = try stats(t, h)
        _ = try t.rundle("inspect", [h, "--json"])
        #expect(try UInt64(oomEvents(t, h).count) == kills)
        let text = try t.rundle("events", [h])
        #expect(text.status == 0)
        #expect(UInt64(text.stdout.split(separator: "\n").count) == kills && text.stdout.contains("Out of memory"), "\(text)")
        let log = try String(contentsOfFile: t.depot + "/" + h + "/events.jsonl", encoding: .utf8)
        #expect(UInt64(log.split(separator: "\n").count) == kills)
        #expect(try stats(t, h)?["oomKills"]?.uint64Value == kills)
        // A second hog: more events, still one per counted kill.
        let id2 = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "a=$(head -c 100000000 /dev/zero | tr '\\000' x)"]).trimmedOut
        #expect(waitExited(t, h, id2, seconds: 60))
        let after = try oomEvents(t, h).compactMap { $0["oomKillCount"]?.uint64Value }
        #expect(after.count > Int(kills))
        #expect(after == Array(1...UInt64(max(after.count, 1))))
    }

    @Test func memoryCPUAndPidsMove() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--pids", "64"])
        guard let before = try stats(t, h) else { Issue.record("stats failed"); return }
        let usageBefore = before["memory"]?["usage"]?.uint64Value ?? 0
        let cpuBefore = before["cpu"]?["usage"]?.uint64Value ?? 0
        let pidsBefore = before["pids"]?["current"]?.uint64Value ?? 0
        #expect(usageBefore > 0)
        #expect(pidsBefore >= 1)
        #expect(before["pids"]?["limit"]?.uint64Value == 64)
        #expect(before["garden"]?["PidStat"]?["Max"]?.uint64Value == 64)
        #expect((before["age"]?.int64Value ?? 0) > 0)
        // A process that builds and keeps ~20 MB (the trailing `true` keeps the shell: no exec of sleep).
        _ = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "x=$(head -c 20000000 /dev/zero | tr '\\000' x); touch /tmp/ready; sleep 1000; true"])
        var last: JSON? = nil
        let grew = pollUntil(30) {
            last = try? stats(t, h)
            return (last?["memory"]?["usage"]?.uint64Value ?? 0) >= usageBefore + 15_000_000
                && (last?["pids"]?["current"]?.uint64Value ?? 0) >= pidsBefore + 2
        }
        #expect(grew, "memory usage \(usageBefore) → \(String(describing: last?["memory"]?["usage"])), pids \(pidsBefore) → \(String(describing: last?["pids"]?["current"]))")
        print("EventsTests: memory usage \(usageBefore) → \(last?["memory"]?["usage"]?.uint64Value ?? 0), cpu \(cpuBefore) → \(last?["cpu"]?["usage"]?.uint64Value ?? 0) ns, pids \(pidsBefore) → \(last?["pids"]?["current"]?.uint64Value ?? 0)")
        #expect((last?["cpu"]?["usage"]?.uint64Value ?? 0) > cpuBefore)
        #expect((last?["garden"]?["CPUStat"]?["Usage"]?.uint64Value ?? 0) > 0)
        #expect((last?["garden"]?["MemoryStat"]?["TotalUsageTowardLimit"]?.uint64Value ?? 0) > 0)
        // init + sh + sleep.
        #expect((last?["pids"]?["current"]?.uint64Value ?? 0) >= pidsBefore + 2)
        // The table form works too.
        let table = try t.rundle("stats", [h])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("HANDLE"))
        #expect(table.stdout.contains(h))
    }

    @Test func unknownHandlesFailWith125AndOthersAreStillShown() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let r = try t.rundle("stats", ["--json", h, t.handle("nope")])
        #expect(r.status == 125)
        #expect(try JSON.parse(r.stdout).arrayValue?.count == 1)
        #expect(r.stderr.contains("NotFound"))
        #expect(try t.rundle("stats", [t.handle("missing")]).status == 125)
        #expect(try t.rundle("events", [t.handle("missing")]).status == 125)
    }

    @Test func followStopsWhenTheContainerIsDeleted() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create(nil, ["--memory", "32M"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: t.env.rundle)
        process.arguments = ["events"] + t.globalArgs + ["--follow", "--json", h]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        let id = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "a=$(head -c 100000000 /dev/zero | tr '\\000' x)"]).trimmedOut
        #expect(waitExited(t, h, id, seconds: 60))
        // The follower reports the OOM by itself (it reconciles while polling).
        #expect(pollUntil(20) { collected.text.contains("Out of memory") }, "follow printed: \(collected.text)")
        #expect(process.isRunning)
        #expect(try t.rundle("delete", [h]).status == 0)
        #expect(pollUntil(10) { !process.isRunning })
        if process.isRunning { process.terminate() }
        out.fileHandleForReading.readabilityHandler = nil
        // Every line is one OOM event (one per kill the kernel counted), printed once.
        let lines = collected.text.split(separator: "\n")
        #expect(!lines.isEmpty, "\(lines)")
        #expect(lines.allSatisfy { $0.contains("Out of memory") })
        #expect(Set(lines).count == lines.count, "an event was printed twice: \(lines)")
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
