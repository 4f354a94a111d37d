import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct BundleResourcesTests {
    @Test func limitsNear2To63StayExact() throws {
        var bundle = Bundle.empty
        bundle.memoryLimit = 9_223_372_036_854_771_712
        bundle.memorySwap = Int64.max
        bundle.cpuShares = UInt64.max
        let text = bundle.json.serialized()
        #expect(text.contains(#""limit":9223372036854771712"#))
        #expect(text.contains(#""swap":9223372036854775807"#))
        #expect(text.contains(#""shares":18446744073709551615"#))
        let reparsed = Bundle(json: try JSON.parse(text))
        #expect(reparsed.memoryLimit == 9_223_372_036_854_771_712)
        #expect(reparsed.memorySwap == Int64.max)
        #expect(reparsed.cpuShares == UInt64.max)
    }

    @Test func readsExactLiteralsFromParsedText() {
        let bundle = Bundle(json: json(#"{"linux": {"resources": {"memory": {"limit": 9223372036854771712}, "pids": {"limit": -1}}}}"#))
        #expect(bundle.memoryLimit == 9_223_372_036_854_771_712)
        #expect(bundle.pidsLimit == -1)
    }

    @Test func writesEachLimitAtItsPath() {
        var bundle = Bundle.empty
        bundle.memoryLimit = 1
        bundle.memorySwap = 2
        bundle.cpuShares = 3
        bundle.cpuQuota = 4
        bundle.cpuPeriod = 5
        bundle.pidsLimit = 6
        #expect(bundle.json == json("""
            {"linux": {"resources": {"memory": {"limit": 1, "swap": 2}, "cpu": {"shares": 3, "quota": 4, "period": 5},
                                     "pids": {"limit": 6}}}}
            """))
    }

    @Test func removingTheLastLimitPrunesEmptyObjectsButKeepsSiblings() {
        var bundle = Bundle(json: json(sampleConfigText))
        bundle.memoryLimit = 10
        bundle.memoryLimit = nil
        #expect(bundle.json[path: ["linux", "resources", "memory"]] == nil)
        #expect(bundle.json[path: ["linux", "resources", "blockIO"]] == json(#"{"weight": 10}"#))
        #expect(bundle == Bundle(json: json(sampleConfigText)))

        var lone = Bundle.empty
        lone.pidsLimit = 5
        lone.pidsLimit = nil
        #expect(lone == .empty)
    }

    @Test func anAlreadyEmptyObjectIsLeftAlone() {
        let original = Bundle(json: json(#"{"linux": {"resources": {}}}"#))
        var bundle = original
        bundle.memoryLimit = nil
        #expect(bundle == original)
    }

    @Test func nonIntegerLiteralsReadAsNil() {
        let bundle = Bundle(json: json(#"{"linux": {"resources": {"memory": {"limit": 1.5}, "cpu": {"shares": -2}}}}"#))
        #expect(bundle.memoryLimit == nil)
        #expect(bundle.cpuShares == nil)
    }
}
