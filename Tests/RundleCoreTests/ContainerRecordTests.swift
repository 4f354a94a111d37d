import Testing
import RundleJSON
@testable import RundleCore

@Suite struct ContainerRecordTests {
    static let spec = ContainerSpec(
        handle: "h-1", rootfs: "/srv/rootfs/busybox", env: ["A=1", "B=two words"],
        bindMounts: [BindMount(source: "/srv/data", destination: "/data", readOnly: true),
                     BindMount(source: "/srv/cache", destination: "/cache", readOnly: false)],
        limits: ResourceLimits(memoryBytes: 9_223_372_036_854_771_712, cpuShares: 512, cpuQuota: 50_000,
                               cpuPeriod: 100_000, pids: 100),
        privileged: false, rlimits: [Rlimit(type: "RLIMIT_NOFILE", soft: 1024, hard: 4096)],
        properties: [Property(key: "garden.grace-time", value: "30s"),
                     Property(key: "owner", value: "Zoë 🐳 \"quoted\" \\ back\nnewline"),
                     Property(key: "ключ", value: "значение")])

    static let full = ContainerRecord(
        handle: "h-1", status: .created, spec: spec, runtime: "/usr/bin/crun", runtimeRoot: "/run/rundle/crun",
        createdAtNanos: 1_700_000_000_123_456_789, initPid: 4242, initStartTime: UInt64.max,
        mounts: ["/var/lib/rundle/h-1/lower", "/var/lib/rundle/h-1/rootfs"])

    func expectSameFields(_ a: ContainerRecord, _ b: ContainerRecord, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.handle == b.handle, sourceLocation: sourceLocation)
        #expect(a.status == b.status, sourceLocation: sourceLocation)
        #expect(a.spec == b.spec, sourceLocation: sourceLocation)
        #expect(a.runtime == b.runtime, sourceLocation: sourceLocation)
        #expect(a.runtimeRoot == b.runtimeRoot, sourceLocation: sourceLocation)
        #expect(a.createdAtNanos == b.createdAtNanos, sourceLocation: sourceLocation)
        #expect(a.initPid == b.initPid, sourceLocation: sourceLocation)
        #expect(a.initStartTime == b.initStartTime, sourceLocation: sourceLocation)
        #expect(a.mounts == b.mounts, sourceLocation: sourceLocation)
    }

    func readError(_ text: String) -> RundleError? {
        do {
            let record = try ContainerRecord(bytes: Array(text.utf8))
            Issue.record("read a record from \(text): \(record.handle)")
            return nil
        } catch {
            return error
        }
    }

    @Test func roundTripsEveryField() throws {
        let bytes = Self.full.jsonBytes()
        let read = try ContainerRecord(bytes: bytes)
        expectSameFields(read, Self.full)
        #expect(read.spec.limits.memoryBytes == 9_223_372_036_854_771_712)
        #expect(read.spec.property("owner") == "Zoë 🐳 \"quoted\" \\ back\nnewline")
        #expect(read.spec.properties.map(\.key) == ["garden.grace-time", "owner", "ключ"])
        #expect(read.spec.bindMounts.map(\.readOnly) == [true, false])
        // Writing what was read gives the same bytes: nothing is lost or reordered.
        #expect(read.jsonBytes() == bytes)
    }

    @Test func everyStatusRoundTrips() throws {
        for status in [ContainerRecord.Status.creating, .created, .stopped] {
            var record = Self.full
            record.status = status
            let read = try ContainerRecord(bytes: record.jsonBytes())
            #expect(read.status == status)
        }
    }

    @Test func theDepotForm() throws {
        let json = Self.full.json()
        #expect(json.objectValue?.keys == ["version", "handle", "status", "spec", "runtime", "runtimeRoot",
                                            "createdAt", "initPid", "initStartTime", "mounts"])
        #expect(json["version"] == JSON(ContainerRecord.formatVersion))
        #expect(json["status"] == "created")
        #expect(json["createdAt"] == JSON(Int64(1_700_000_000_123_456_789)))
        #expect(json["initStartTime"]?.uint64Value == UInt64.max)
        // Exact integers in the text, not doubles.
        let text = String(decoding: Self.full.jsonBytes(), as: UTF8.self)
        #expect(text.contains("9223372036854771712"))
        #expect(text.contains("18446744073709551615"))
    }

    @Test func optionalFieldsMayBeAbsent() throws {
        let record = ContainerRecord(handle: "h", status: .creating, spec: ContainerSpec(handle: "h", rootfs: "/r"),
                                     runtime: "runc", runtimeRoot: "/run/r", createdAtNanos: 5)
        let json = record.json()
        #expect(json["initPid"] == nil)
        #expect(json["initStartTime"] == nil)
        let read = try ContainerRecord(bytes: record.jsonBytes())
        expectSameFields(read, record)
    }

    @Test func defaultsForMembersAnOlderRecordLacks() throws {
        let read = try ContainerRecord(bytes: Array(#"{"handle": "h", "status": "created", "spec": {"handle": "h", "rootfs": "/r"}}"#.utf8))
        #expect(read.runtime == "runc")
        #expect(read.runtimeRoot == "")
        #expect(read.createdAtNanos == 0)
        #expect(read.initPid == nil)
        #expect(read.initStartTime == nil)
        #expect(read.mounts == [])
    }

    @Test(arguments: [
        "",
        "not json",
        "{\"handle\": \"h\"",
        "[]",
        "null",
        #"{"status": "created", "spec": {"handle": "h", "rootfs": "/r"}}"#,
        #"{"handle": 7, "status": "created", "spec": {"handle": "h", "rootfs": "/r"}}"#,
        #"{"handle": "h", "spec": {"handle": "h", "rootfs": "/r"}}"#,
        #"{"handle": "h", "status": "running", "spec": {"handle": "h", "rootfs": "/r"}}"#,
        #"{"handle": "h", "status": true, "spec": {"handle": "h", "rootfs": "/r"}}"#,
        #"{"handle": "h", "status": "created"}"#,
    ])
    func missingOrGarbageRequiredMembersAreInternalErrors(_ text: String) {
        #expect(readError(text)?.code == .internal)
    }

    @Test(arguments: [
        #"{"handle": "h", "status": "created", "spec": "h"}"#,
        #"{"handle": "h", "status": "created", "spec": {"handle": "h"}}"#,
        #"{"handle": "h", "status": "created", "spec": {"handle": "h", "rootfs": "/r", "limits": {"pids": "many"}}}"#,
    ])
    func aGarbageSpecIsAnError(_ text: String) {
        let failure = readError(text)
        #expect(failure != nil)
        #expect(failure?.message.contains("container spec") == true, "\(failure?.message ?? "")")
    }
}
