import Foundation
import GardenClient
import GardenProtocol
import Testing

/// A real `rundle serve` on a test's depot: a unix socket in the test dir and loopback TCP on a
/// port the kernel picks. Can be killed with SIGKILL and started again on the same depot.
final class GardenDaemon: @unchecked Sendable {
    let depot: TestDepot
    let extraArgs: [String]
    var socketPath: String { depot.dir + "/garden.sock" }
    var logPath: String { depot.dir + "/serve.log" }
    private(set) var pid: Int32 = 0
    private(set) var tcpPort = 0

    init(_ depot: TestDepot, extraArgs: [String] = []) throws {
        self.depot = depot
        self.extraArgs = extraArgs
        try start()
    }

    var unixClient: GardenClient { GardenClient(address: .unix(socketPath)) }
    var tcpClient: GardenClient { GardenClient(address: .tcp(host: "127.0.0.1", port: UInt16(tcpPort))) }

    /// Starts the daemon and waits (with a deadline) until both listeners answer.
    func start() throws {
        let logFile = FileHandle(forWritingAtPath: logPath) ?? {
            FileManager.default.createFile(atPath: logPath, contents: nil)
            return FileHandle(forWritingAtPath: logPath)!
        }()
        logFile.seekToEndOfFile()
        let startOffset = logFile.offsetInFile
        let process = Process()
        process.executableURL = URL(fileURLWithPath: depot.env.rundle)
        process.arguments = ["serve"] + depot.globalArgs + ["--cgroup-parent", depot.cgroupParent,
            "--listen", "unix://" + socketPath, "--listen", "tcp://127.0.0.1:0",
            "--default-rootfs", depot.env.rootfs] + extraArgs
        process.standardError = logFile
        process.standardOutput = logFile
        process.standardInput = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        let found = pollUntil(30) {
            guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return false }
            let fresh = String(text.utf8.dropFirst(Int(startOffset))) ?? ""
            guard let range = fresh.range(of: "address=tcp://127.0.0.1:") else { return false }
            let digits = fresh[range.upperBound...].prefix { $0.isNumber }
            tcpPort = Int(digits) ?? 0
            return tcpPort > 0
        }
        #expect(found, "rundle serve did not start: \(log())")
        guard found else { throw TestSkip.failed("rundle serve did not start") }
        try unixClient.ping()
    }

    /// SIGKILL: no shutdown of any kind.
    func kill9() {
        guard pid > 0 else { return }
        Foundation.kill(pid, SIGKILL)
        waitForExit()
    }

    /// SIGTERM: the graceful stop.
    func terminate() {
        guard pid > 0 else { return }
        Foundation.kill(pid, SIGTERM)
        waitForExit()
    }

    private func waitForExit() {
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        pid = 0
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Stops the daemon and tears the test depot down (every container, mount and cgroup).
    func tearDown() {
        terminate()
        depot.tearDown()
    }
}
