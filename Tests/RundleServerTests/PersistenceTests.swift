import Glibc
import Logging
import RundleKeeper
import RundleOS
import Synchronization
import XCTest
@testable import RundleServer

final class PersistenceTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/rundle-server-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        try removeTree(directory)
    }

    func testDeliveryLedgerPersistsAndOnlyMovesForward() throws {
        let ledger = DeliveryLedger(processDir: directory)
        XCTAssertEqual(ledger.offsets.stdout, 0)
        ledger.advance(.stdout, to: 12_345)
        ledger.advance(.stderr, to: 7)
        ledger.advance(.stdout, to: 100)   // a slower client: no step back
        XCTAssertEqual(ledger.offsets.stdout, 12_345)
        let reloaded = DeliveryLedger(processDir: directory)
        XCTAssertEqual(reloaded.offsets.stdout, 12_345)
        XCTAssertEqual(reloaded.offsets.stderr, 7)
        let text = String(decoding: try readFile(directory + "/" + DeliveryLedger.fileName), as: UTF8.self)
        XCTAssertEqual(text, "00000000000000012345 00000000000000000007\n")
    }

    func testGraceClockSurvivesARestart() throws {
        let grace = directory + "/grace"
        let expired = Mutex<[String]>([])
        let reaper = GraceReaper(directory: grace, logger: Logger(label: "test")) { handle in expired.withLock { $0.append(handle) } }
        reaper.register("idle", graceNanos: 3_600_000_000_000)
        reaper.register("busy", graceNanos: 3_600_000_000_000)
        reaper.pause("busy")
        reaper.register("never", graceNanos: 0)
        XCTAssertNil(reaper.clock("never"))
        XCTAssertFalse(fileExists(grace + "/never"))
        let idleSince = try XCTUnwrap(reaper.clock("idle")).idleSinceNanos

        // A new daemon: "idle" keeps its clock, "busy" (in use when the daemon died) starts a
        // full countdown now, a container that is gone is forgotten.
        try writeFile(grace + "/gone", Array("1 1 0\n".utf8))
        let next = GraceReaper(directory: grace, logger: Logger(label: "test")) { _ in }
        next.load(existing: ["idle", "busy"])
        XCTAssertEqual(next.clock("idle")?.idleSinceNanos, idleSince)
        XCTAssertGreaterThan(try XCTUnwrap(next.clock("busy")).idleSinceNanos, idleSince)
        XCTAssertFalse(fileExists(grace + "/gone"))
    }

    func testExpiredClockDestroysOncePausedOnesNever() throws {
        let expired = Mutex<[String]>([])
        let reaper = GraceReaper(directory: directory + "/grace", logger: Logger(label: "test")) { handle in
            expired.withLock { $0.append(handle) }
        }
        reaper.register("short", graceNanos: 1_000_000)
        reaper.register("held", graceNanos: 1_000_000)
        reaper.pause("held")
        reaper.run()
        defer { reaper.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        while expired.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { usleep(5_000) }
        XCTAssertEqual(expired.withLock { $0 }, ["short"])
        XCTAssertNotNil(reaper.clock("held"))
    }
}
