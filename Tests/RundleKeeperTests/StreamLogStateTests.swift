import Testing
@testable import RundleKeeper

@Suite struct StreamLogStateTests {
    @Test func appendsUntilTheBoundThenStopsReading() {
        var log = StreamLogState(limit: 100)
        #expect(log.readAllowance == 100)
        log.append(60)
        #expect(log.readAllowance == 40)
        #expect(log.shouldRead)
        log.append(40)
        #expect(log.readAllowance == 0)
        #expect(!log.shouldRead)
        #expect(log.start == 0 && log.end == 100)
    }

    @Test func dropsOnlyAcknowledgedBytesAndOnlyWhenOverTheBound() {
        var log = StreamLogState(limit: 100)
        log.append(100)
        // An ack alone drops nothing: the log keeps the newest bytes up to the bound.
        let moved = log.acknowledge(through: 30, receivedFrom: 0)
        #expect(!moved)
        #expect(log.start == 0 && log.acknowledged == 30)
        #expect(log.readAllowance == 30)
        // Appending past the bound drops the oldest acknowledged bytes.
        let dropped = log.append(20)
        #expect(dropped)
        #expect(log.start == 20 && log.end == 120 && log.keptCount == 100)
        #expect(log.readAllowance == 10)
        log.append(10)
        #expect(log.start == 30 && log.readAllowance == 0)
        // Never past what was acknowledged.
        #expect(log.acknowledged == 30)
    }

    @Test func acknowledgementsBeyondTheEndAreClamped() {
        var log = StreamLogState(limit: 10)
        log.append(5)
        log.acknowledge(through: 1_000, receivedFrom: 0)
        #expect(log.acknowledged == 5)
        #expect(log.readAllowance == 10)
        log.append(10)
        #expect(log.start == 5 && log.end == 15)
    }

    @Test func aLiveOnlyClientCannotAcknowledgeBytesItNeverSaw() {
        var log = StreamLogState(limit: 100)
        log.append(100)
        // Attached live at offset 100, received 100..<150 (pretend the bound allowed it).
        let counted = log.acknowledge(through: 150, receivedFrom: 100)
        #expect(!counted)
        #expect(log.acknowledged == 0)
        #expect(log.readAllowance == 0)
        // Once the prefix before it is acknowledged, its acknowledgements count.
        log.acknowledge(through: 100, receivedFrom: 0)
        #expect(log.acknowledged == 100)
        let again = log.acknowledge(through: 150, receivedFrom: 100)   // through is clamped to end (100)
        #expect(!again)
        #expect(log.readAllowance == 100)
    }

    @Test func replayOffsetsAreClampedToWhatIsKept() {
        var log = StreamLogState(limit: 10)
        log.append(10)
        log.acknowledge(through: 10, receivedFrom: 0)
        log.append(5)
        #expect(log.start == 5 && log.end == 15)
        #expect(log.replayStart(requested: AttachFrame.fromStart) == 5)
        #expect(log.replayStart(requested: AttachFrame.liveOnly) == 15)
        #expect(log.replayStart(requested: 1) == 5)
        #expect(log.replayStart(requested: 7) == 7)
        #expect(log.replayStart(requested: 15) == 15)
        #expect(log.replayStart(requested: 99) == 15)
    }

    @Test func overshootDrainsAfterExitWithoutDropping() {
        var log = StreamLogState(limit: 10)
        log.append(10)
        #expect(log.readAllowance == 0)
        log.grantOvershoot(4)
        #expect(log.readAllowance == 4)
        log.append(3)
        #expect(log.start == 0 && log.end == 13 && log.overshootBudget == 1)
        #expect(log.readAllowance == 1)
        // A later ack first restores the bound's room, the budget stays for what is left.
        log.acknowledge(through: 13, receivedFrom: 0)
        #expect(log.start == 3)
        #expect(log.readAllowance == 10 + 1)
        log.append(11)
        #expect(log.overshootBudget == 0)
        #expect(log.start == 13 && log.keptCount == 11)
    }

    @Test func reclaimableRangeIsWholeBlocksBeforeTheStart() {
        var log = StreamLogState(limit: 5000)
        log.append(5000)
        log.acknowledge(through: 5000, receivedFrom: 0)
        #expect(log.reclaimableEnd(blockSize: 4096) == 0)
        log.append(4000)
        #expect(log.start == 4000)
        #expect(log.reclaimableEnd(blockSize: 4096) == 0)
        log.acknowledge(through: 9000, receivedFrom: 0)
        log.append(5000)
        #expect(log.start == 9000)
        #expect(log.reclaimableEnd(blockSize: 4096) == 8192)
    }

    @Test func randomisedInvariants() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let limit = UInt64.random(in: 1...5000, using: &generator)
            var log = StreamLogState(limit: limit)
            var delivered: UInt64 = 0
            for _ in 0..<200 {
                if Bool.random(using: &generator) {
                    let allowance = log.readAllowance
                    if allowance > 0 { log.append(UInt64.random(in: 1...allowance, using: &generator)) }
                } else {
                    delivered = min(log.end, delivered + UInt64.random(in: 0...1000, using: &generator))
                    log.acknowledge(through: delivered, receivedFrom: 0)
                }
                #expect(log.start <= log.acknowledged)          // nothing unacknowledged was dropped
                #expect(log.keptCount <= limit)                 // the bound holds
                #expect(log.acknowledged <= log.end)
            }
        }
    }
}
