import Testing
@testable import GardenClient

@Suite struct GardenAddressTests {
    @Test func parsesEveryForm() throws {
        #expect(try GardenAddress(parsing: "unix:///tmp/garden.sock") == .unix("/tmp/garden.sock"))
        #expect(try GardenAddress(parsing: "/var/run/garden.sock") == .unix("/var/run/garden.sock"))
        #expect(try GardenAddress(parsing: "./garden.sock") == .unix("./garden.sock"))
        #expect(try GardenAddress(parsing: "garden.sock") == .unix("garden.sock"))
        #expect(try GardenAddress(parsing: "tcp://127.0.0.1:7777") == .tcp(host: "127.0.0.1", port: 7777))
        #expect(try GardenAddress(parsing: "tcp://[::1]:7777/") == .tcp(host: "::1", port: 7777))
        #expect(try GardenAddress(parsing: "localhost:7777") == .tcp(host: "localhost", port: 7777))
    }

    @Test func rejectsBrokenAddresses() {
        for text in ["", "unix://", "tcp://host", "tcp://:7777", "tcp://host:0", "tcp://host:99999", "tcp://::1:7777"] {
            #expect(throws: GardenClientError.self, "\(text)") { try GardenAddress(parsing: text) }
        }
    }

    @Test func describesItselfAsAURL() {
        #expect(GardenAddress.unix("/a.sock").description == "unix:///a.sock")
        #expect(GardenAddress.tcp(host: "::1", port: 1).description == "tcp://[::1]:1")
        #expect(GardenAddress.tcp(host: "h", port: 2).description == "tcp://h:2")
    }
}
