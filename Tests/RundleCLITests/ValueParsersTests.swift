import Glibc
import Testing
import RundleCore
@testable import RundleCLI

@Suite struct ValueParsersTests {
    static let mebi: Int64 = 1 << 20

    static let goodSizes: [(String, Int64)] = [
        ("64M", 64 * mebi), ("64m", 64 * mebi), ("1G", 1 << 30), ("1g", 1 << 30),
        ("512k", 512 * 1024), ("512K", 512 * 1024), ("1024", 1024),
        ("64MiB", 64 * mebi), ("64MB", 64 * mebi), ("64mb", 64 * mebi),
        ("2GiB", 2 << 30), ("3KB", 3 * 1024), ("1T", 1 << 40), ("7b", 7),
        ("0", 0), ("0M", 0), ("007M", 7 * mebi), ("8388607T", 8_388_607 << 40),
    ]

    @Test(arguments: goodSizes)
    func sizes(_ text: String, _ expected: Int64) throws {
        #expect(try ValueParsers.size(text, flag: "--memory") == expected)
    }

    @Test(arguments: ["9999999999T", "8388608T", "9223372036854775807K"])
    func sizesThatOverflow(_ text: String) {
        do {
            let value = try ValueParsers.size(text, flag: "--memory")
            Issue.record("'\(text)' parsed as \(value)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "invalid --memory '\(text)': too large")
        }
    }

    @Test(arguments: [
        "", "M", "MiB", "12Q", "12MM", "12iB", "-5M", "-5", "+5M", "1.5G", " 64M", "64M ", "64 M", "6 4M",
        "0x10", "M64", "1e3", "٣M", "９M", "99999999999999999999",
    ])
    func badSizes(_ text: String) {
        do {
            let value = try ValueParsers.size(text, flag: "--memory")
            Issue.record("'\(text)' parsed as \(value)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "invalid --memory '\(text)': expected a size such as 64M, 1G or 1048576")
        }
    }

    @Test func keyValue() throws {
        #expect(try ValueParsers.keyValue("A=1", flag: "--env") == ("A", "1"))
        #expect(try ValueParsers.keyValue("A=", flag: "--env") == ("A", ""))
        #expect(try ValueParsers.keyValue("A=b=c", flag: "--env") == ("A", "b=c"))
        #expect(try ValueParsers.keyValue("garden.grace-time=30s", flag: "--property") == ("garden.grace-time", "30s"))
        #expect(try ValueParsers.keyValue("k= spaced value ", flag: "--property") == ("k", " spaced value "))
    }

    @Test(arguments: ["", "=", "=value", "novalue", " "])
    func badKeyValues(_ text: String) {
        do {
            let pair = try ValueParsers.keyValue(text, flag: "--property")
            Issue.record("'\(text)' parsed as \(pair)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "invalid --property '\(text)': expected KEY=VALUE")
        }
    }

    @Test func bind() throws {
        #expect(try ValueParsers.bind("/srv/data:/data") == BindMount(source: "/srv/data", destination: "/data", readOnly: false))
        #expect(try ValueParsers.bind("/srv/data:/data:ro") == BindMount(source: "/srv/data", destination: "/data", readOnly: true))
        #expect(try ValueParsers.bind("/srv/data:/data:rw") == BindMount(source: "/srv/data", destination: "/data", readOnly: false))
        #expect(try ValueParsers.bind("/:/host:ro") == BindMount(source: "/", destination: "/host", readOnly: true))
    }

    @Test func aRelativeSourceIsMadeAbsolute() throws {
        let cwd = try #require(currentDirectory())
        let base = cwd == "/" ? "" : cwd
        #expect(try ValueParsers.bind("data:/data").source == base + "/data")
        #expect(try ValueParsers.bind("./data/sub:/data").source == base + "/data/sub")
        #expect(try ValueParsers.bind(".:/data").source == cwd)
        #expect(try ValueParsers.bind("data:/data:ro") == BindMount(source: base + "/data", destination: "/data", readOnly: true))
    }

    @Test(arguments: [
        ("/a", "expected SRC:DST[:ro|rw]"),
        ("", "expected SRC:DST[:ro|rw]"),
        (":/b", "expected SRC:DST[:ro|rw]"),
        ("/a:", "expected SRC:DST[:ro|rw]"),
        ("/a::ro", "expected SRC:DST[:ro|rw]"),
        ("/a:/b:ro:x", "expected SRC:DST[:ro|rw]"),
        ("/a:/b:c:d:e", "expected SRC:DST[:ro|rw]"),
        ("/a:/b:rx", "mode must be ro or rw, not 'rx'"),
        ("/a:/b:RO", "mode must be ro or rw, not 'RO'"),
        ("/a:/b:", "mode must be ro or rw, not ''"),
    ])
    func badBinds(_ text: String, _ fragment: String) {
        do {
            let mount = try ValueParsers.bind(text)
            Issue.record("'\(text)' parsed as \(mount)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("invalid --bind '\(text)': "))
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func integers() throws {
        #expect(try ValueParsers.unsigned("512", flag: "--cpu-shares") == 512)
        #expect(try ValueParsers.signed("-1", flag: "--pids") == -1)
        #expect(throws: RundleError.self) { try ValueParsers.unsigned("-1", flag: "--cpu-shares") }
        #expect(throws: RundleError.self) { try ValueParsers.unsigned("1k", flag: "--cpu-shares") }
        #expect(throws: RundleError.self) { try ValueParsers.signed("", flag: "--pids") }
    }

    func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
