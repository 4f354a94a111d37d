import Testing
@testable import RundleCore

@Suite struct RFC3339Tests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000000Z"),
        (1, "1970-01-01T00:00:00.000000001Z"),
        (999_999_999, "1970-01-01T00:00:00.999999999Z"),
        (1_000_000_000, "1970-01-01T00:00:01.000000000Z"),
        (1_700_000_000_123_456_789, "2023-11-14T22:13:20.123456789Z"),
        (951_782_400_000_000_500, "2000-02-29T00:00:00.000000500Z"),
        (4_102_444_799_100_000_000, "2099-12-31T23:59:59.100000000Z"),
    ])
    func formatsUTCWithNanoseconds(_ nanos: Int64, _ expected: String) {
        #expect(ContainerInfo.formatTime(nanos) == expected)
    }

    /// Before 1970 (a clock set wrong, a record edited by hand): the fraction still counts
    /// forward from the second before, as RFC 3339 requires, and nothing traps.
    @Test(arguments: [
        (Int64(-1), "1969-12-31T23:59:59.999999999Z"),
        (-1_000_000_000, "1969-12-31T23:59:59.000000000Z"),
        (-1_500_000_000, "1969-12-31T23:59:58.500000000Z"),
    ])
    func formatsTimesBefore1970(_ nanos: Int64, _ expected: String) {
        #expect(ContainerInfo.formatTime(nanos) == expected)
    }

    @Test func extremesDoNotTrap() {
        #expect(ContainerInfo.formatTime(Int64.max) == "2262-04-11T23:47:16.854775807Z")
        #expect(ContainerInfo.formatTime(Int64.min) == "1677-09-21T00:12:43.145224192Z")
    }
}
