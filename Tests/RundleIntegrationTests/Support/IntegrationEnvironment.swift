import Foundation
import Testing

/// What the integration tests need from the machine, found once: root, the runtime under test,
/// the built `rundle` binaries and the busybox rootfs from bundles-fixtures/.
struct IntegrationEnvironment: Sendable {
    let binDir: String
    let rootfs: String
    /// "runc" or "crun" (RUNDLE_TEST_RUNTIME).
    let runtime: String

    var rundle: String { binDir + "/rundle" }

    static let shared: IntegrationEnvironment? = find()
    static var problem: String? {
        if getuid() != 0 { return "integration tests need root" }
        guard let env = shared else { return "rundle binaries or busybox rootfs not found (run scripts/test)" }
        if !FileManager.default.isExecutableFile(atPath: env.binDir + "/rundle-init") {
            return "rundle-init not built in \(env.binDir) (run scripts/build)"
        }
        return nil
    }

    /// In CI a missing prerequisite is a failure, never a silent skip.
    static var enabled: Bool {
        if let problem {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("integration prerequisites missing in CI: \(problem)")
            }
            return false
        }
        return true
    }

    private static func find() -> IntegrationEnvironment? {
        let env = ProcessInfo.processInfo.environment
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var candidates: [String] = []
        if let dir = env["RUNDLE_BIN_DIR"] { candidates.append(dir) }
        // swift test runs the test bundle from the same bin dir as the built executables.
        var dir = (exe as NSString).deletingLastPathComponent
        for _ in 0..<3 {
            candidates.append(dir)
            dir = (dir as NSString).deletingLastPathComponent
        }
        guard let binDir = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/rundle") }) else {
            return nil
        }
        var rootfs = env["RUNDLE_TEST_ROOTFS"]
        if rootfs == nil {
            // <repo>/.build/<triple>/debug -> <repo>/bundles-fixtures/build/busybox
            var up = binDir
            for _ in 0..<4 {
                let candidate = up + "/bundles-fixtures/build/busybox"
                if FileManager.default.fileExists(atPath: candidate + "/bin/busybox") { rootfs = candidate; break }
                up = (up as NSString).deletingLastPathComponent
            }
        }
        guard let rootfs, FileManager.default.fileExists(atPath: rootfs + "/bin/busybox") else { return nil }
        return IntegrationEnvironment(binDir: binDir, rootfs: rootfs, runtime: env["RUNDLE_TEST_RUNTIME"] ?? "runc")
    }
}
