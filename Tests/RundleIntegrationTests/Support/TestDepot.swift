import Foundation
import Testing

/// One test's world: its own depot, runtime root and cgroup parent, a random handle prefix, and
/// a teardown that deletes every container and checks nothing (mount, runtime state) is left.
final class TestDepot: @unchecked Sendable {
    let env: IntegrationEnvironment
    let dir: String
    let prefix: String
    var depot: String { dir + "/depot" }
    var runtimeRoot: String { dir + "/runtime" }
    let cgroupParent: String

    init(_ name: String = #function) throws {
        guard let env = IntegrationEnvironment.shared else { throw TestSkip.missing }
        self.env = env
        let token = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        self.prefix = "t\(token)"
        self.dir = "/tmp/rundle-it-\(token)"
        self.cgroupParent = "rundle-test-\(token)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// A handle unique to this test.
    func handle(_ suffix: String = "") -> String {
        suffix.isEmpty ? "\(prefix)-\(String(UInt16.random(in: 0...UInt16.max), radix: 36))" : "\(prefix)-\(suffix)"
    }

    var globalArgs: [String] {
        ["--depot", depot, "--runtime", env.runtime, "--runtime-root", runtimeRoot]
    }

    /// Runs `rundle <command> <global flags> <rest>`.
    @discardableResult
    func rundle(_ command: String, _ args: [String] = [], stdin: String? = nil, environment: [String: String] = [:],
                extraGlobal: [String] = []) throws -> RundleResult {
        // A command group (`property set`) takes the global options after its subcommand.
        let head = command == "property" && !args.isEmpty ? [command, args[0]] : [command]
        let rest = command == "property" && !args.isEmpty ? Array(args.dropFirst()) : args
        let all = head + globalArgs + extraGlobal + (command == "create" ? ["--cgroup-parent", cgroupParent] : []) + rest
        return try Run.command(env.rundle, all, stdin: stdin, environment: environment)
    }

    /// Creates a container and returns its handle; fails the test on error.
    func create(_ handle: String? = nil, _ args: [String] = []) throws -> String {
        let r = try rundle("create", (handle.map { [$0] } ?? []) + ["--rootfs", env.rootfs] + args)
        #expect(r.status == 0, "create failed: \(r)")
        guard r.status == 0 else { throw TestSkip.failed(r.description) }
        return r.trimmedOut
    }

    /// Deletes whatever is left, then checks the host is clean: no mount under the test dir, no
    /// runtime container in the test's root, and removes the cgroup parent dirs it made.
    func tearDown() {
        let left = (try? rundle("list", ["-q"]).stdout.split(separator: "\n").map(String.init)) ?? []
        if !left.isEmpty { _ = try? rundle("delete", left) }
        _ = try? rundle("gc")
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let leaked = mounts.split(separator: "\n").filter { $0.contains(dir) }
        #expect(leaked.isEmpty, "mounts left behind: \(leaked)")
        for line in leaked {
            let fields = line.split(separator: " ")
            if fields.count > 4 { _ = try? Run.command("/bin/umount", ["-l", String(fields[4])]) }
        }
        Cgroups.removeParent(cgroupParent)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

enum TestSkip: Error { case missing, failed(String) }
