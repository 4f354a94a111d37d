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
        let events = try oomEvents(t, h)
        #expect(events.count == 1, "\(events)")
        #expect(events.first?["message"]?.stringValue == "Out of memory")
        #expect(events.first?["oomKillCount"]?.uint64Value == 1)
        // Looking again (events, stats) records nothing twice.
        _ = try stats(t, h)
        #expect(try oomEvents(t, h).count == 1)
        let text = try t.rundle("events", [h])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == 1 && text.stdout.contains("Out of memory"), "\(text)")
        // The log on disk holds exactly one line.
        let log = try String(contentsOfFile: t.depot + "/" + h + "/events.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1)
        #expect(try stats(t, h)?["oomKills"]?.uint64Value == 1)
        // A second hog: a second event.
        let id2 = try t.rundle("exec", ["-d", h, "--", "sh", "-c", "a=$(head -c 100000000 /dev/zero | tr '\\000' x)"]).trimmedOut
        #expect(waitExited(t, h, id2, seconds: 60))
        #expect(try oomEvents(t, h).map { $0["oomKillCount"]?.uint64Value } == [1, 2])
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
        let lines = collected.text.split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("Out of memory") == true)
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
