import Testing
@testable import RundleCore

@Suite struct TarFormatTests {
    func archive(_ members: [(TarEntry, [UInt8])]) throws -> [UInt8] {
        var out: [UInt8] = []
        let writer = TarWriter { (buffer) throws(RundleError) in out += Array(buffer) }
        for (entry, data) in members { try writer.add(entry, data: data) }
        try writer.finish()
        return out
    }

    func readAll(_ bytes: [UInt8]) throws -> [(TarEntry, [UInt8])] {
        let reader = TarReader(bytes: bytes)
        var out: [(TarEntry, [UInt8])] = []
        while let entry = try reader.next() {
            out.append((entry, try reader.readAll(limit: 1 << 20)))
        }
        return out
    }

    @Test func roundTripKeepsEveryField() throws {
        let long = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 150)
        let members: [(TarEntry, [UInt8])] = [
            (TarEntry(name: "top/", kind: .directory, mode: 0o755, uid: 1, gid: 2, mtime: 1_700_000_000), []),
            (TarEntry(name: "top/file", kind: .regular, mode: 0o4711, uid: 1000, gid: 1000, size: 5, mtime: 12345), Array("hello".utf8)),
            (TarEntry(name: "top/block", kind: .regular, mode: 0o600, size: 512, mtime: 1), [UInt8](repeating: 7, count: 512)),
            (TarEntry(name: "top/link", kind: .symlink, mode: 0o777, linkName: "/etc/" + String(repeating: "l", count: 200)), []),
            (TarEntry(name: "top/hard", kind: .hardLink, mode: 0o644, linkName: "top/file"), []),
            (TarEntry(name: long, kind: .regular, mode: 0o640, uid: 3_000_000, size: 3), [1, 2, 3]),
        ]
        let bytes = try archive(members)
        #expect(bytes.count % 512 == 0)
        let back = try readAll(bytes)
        #expect(back.count == members.count)
        for (a, b) in zip(members, back) {
            var expected = a.0
            if expected.kind != .regular { expected.size = 0 }
            #expect(b.0 == expected)
            #expect(b.1 == a.1)
        }
    }

    @Test func readsGNULongNamesAndLinks() throws {
        let name = String(repeating: "n", count: 300)
        let link = String(repeating: "k", count: 250)
        func gnu(_ type: Character, _ text: String) -> [UInt8] {
            let data = Array(text.utf8) + [0]
            var e = TarEntry(name: "././@LongLink", kind: .regular, size: Int64(data.count))
            e.mode = 0
            return TarFormat.headerBlock(e, name: Array("././@LongLink".utf8), linkName: [], typeFlag: UInt8(ascii: String(type).unicodeScalars.first!))
                + data + [UInt8](repeating: 0, count: TarFormat.padding(Int64(data.count)))
        }
        let sym = TarEntry(name: "x", kind: .symlink, mode: 0o777)
        let bytes = gnu("L", name) + gnu("K", link)
            + TarFormat.headerBlock(sym, name: Array(name.utf8.prefix(100)), linkName: Array(link.utf8.prefix(100)), typeFlag: UInt8(ascii: "2"))
            + [UInt8](repeating: 0, count: 1024)
        let back = try readAll(bytes)
        #expect(back.count == 1)
        #expect(back.first?.0.name == name)
        #expect(back.first?.0.linkName == link)
        #expect(back.first?.0.kind == .symlink)
    }

    @Test func readsUstarPrefix() throws {
        var block = TarFormat.headerBlock(TarEntry(name: "", kind: .directory, mode: 0o755), name: Array("leaf/".utf8), linkName: [], typeFlag: UInt8(ascii: "5"))
        TarFormat.putString(&block, 345, 155, Array("some/prefix".utf8))
        for i in 148..<156 { block[i] = UInt8(ascii: " ") }
        TarFormat.putOctal(&block, 148, 7, block.reduce(0) { $0 + Int64($1) })
        let back = try readAll(block + [UInt8](repeating: 0, count: 1024))
        #expect(back.first?.0.name == "some/prefix/leaf/")
    }

    func expectInvalid(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try readAll(bytes)
            Issue.record("accepted a bad archive", sourceLocation: sourceLocation)
        } catch let error as RundleError {
            #expect(error.code == .invalidArgument, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func refusesMalformedArchives() throws {
        let good = try archive([(TarEntry(name: "f", kind: .regular, size: 1000), [UInt8](repeating: 1, count: 1000))])
        expectInvalid(Array(good.prefix(700)), "truncated")
        expectInvalid(Array(good.prefix(300)), "truncated")
        expectInvalid(Array(good.prefix(1536)), "no end-of-archive marker")
        expectInvalid([], "no end-of-archive marker")
        var corrupt = good
        corrupt[0] = UInt8(ascii: "g")
        expectInvalid(corrupt, "checksum")
        expectInvalid(Array("this is not a tar archive\n".utf8) + [UInt8](repeating: 0, count: 600), "checksum")

        // A negative base-256 size.
        var negative = Array(good.prefix(512))
        for i in 124..<136 { negative[i] = 0xff }
        for i in 148..<156 { negative[i] = UInt8(ascii: " ") }
        TarFormat.putOctal(&negative, 148, 7, negative.reduce(0) { $0 + Int64($1) })
        expectInvalid(negative + [UInt8](repeating: 0, count: 1024), "negative size")

        // A pax size that overflows Int64.
        let huge = TarFormat.paxRecord("size", Array("99999999999999999999999".utf8))
        let paxHeader = TarFormat.headerBlock(TarEntry(name: "", kind: .regular, size: Int64(huge.count)), name: Array("PaxHeaders/f".utf8), linkName: [], typeFlag: UInt8(ascii: "x"))
        expectInvalid(paxHeader + huge + [UInt8](repeating: 0, count: TarFormat.padding(Int64(huge.count))) + good, "bad pax size")

        // A name over 4096 bytes through pax.
        let longName = TarEntry(name: String(repeating: "a", count: 5000), kind: .regular)
        expectInvalid(TarFormat.encode(longName) + [UInt8](repeating: 0, count: 1024), "over 4096")

        // Unsupported types (GNU sparse).
        let sparse = TarFormat.headerBlock(TarEntry(name: "", kind: .regular), name: Array("s".utf8), linkName: [], typeFlag: UInt8(ascii: "S"))
        expectInvalid(sparse + [UInt8](repeating: 0, count: 1024), "unsupported tar member type")
    }

    @Test func writerRefusesOverlongNames() {
        let writer = TarWriter { (_) throws(RundleError) in }
        #expect(throws: RundleError.self) { try writer.add(TarEntry(name: String(repeating: "a", count: 4097), kind: .directory)) }
    }
}

@Suite struct TarPathTests {
    @Test func namesStayBelowTheDestination() throws {
        #expect(try TarPath.components("/etc/passwd") == ["etc", "passwd"])
        #expect(try TarPath.components("./a/./b//c/") == ["a", "b", "c"])
        #expect(try TarPath.components("a/../b") == ["b"])
        #expect(try TarPath.components("./") == [])
        #expect(try TarPath.components("a/b/../../c") == ["c"])
    }

    @Test(arguments: ["..", "../x", "../../../../tmp/pwned", "a/../../x", "/../x", "./a/../.."])
    func climbingNamesAreRefused(_ name: String) {
        #expect(throws: RundleError.self) { try TarPath.components(name) }
    }

    @Test func hardLinkTargets() throws {
        #expect(try TarPath.hardLinkTarget("a/b", member: "m") == ["a", "b"])
        #expect(throws: RundleError.self) { try TarPath.hardLinkTarget("/etc/shadow", member: "m") }
        #expect(throws: RundleError.self) { try TarPath.hardLinkTarget("../etc/shadow", member: "m") }
        #expect(throws: RundleError.self) { try TarPath.hardLinkTarget(".", member: "m") }
    }

    @Test func copyPlanFollowsDockerCp() throws {
        let dirs: Set<String> = ["/d", "/", "/e"]
        let files: Set<String> = ["/f"]
        let status: (String) throws(RundleError) -> Bool? = { p in dirs.contains(p) ? true : files.contains(p) ? false : nil }
        #expect(try CopyPlan.make(sourceIsDirectory: false, contentsOnly: false, sourceBase: "s", destination: "/d", status: status) == CopyPlan(directory: "/d", topName: "s"))
        #expect(try CopyPlan.make(sourceIsDirectory: true, contentsOnly: true, sourceBase: "s", destination: "/d", status: status) == CopyPlan(directory: "/d", topName: "."))
        #expect(try CopyPlan.make(sourceIsDirectory: false, contentsOnly: false, sourceBase: "s", destination: "/f", status: status) == CopyPlan(directory: "/", topName: "f"))
        #expect(try CopyPlan.make(sourceIsDirectory: true, contentsOnly: false, sourceBase: "s", destination: "/d/new", status: status) == CopyPlan(directory: "/d", topName: "new"))
        #expect(throws: RundleError.self) { try CopyPlan.make(sourceIsDirectory: true, contentsOnly: false, sourceBase: "s", destination: "/f", status: status) }
        #expect(throws: RundleError.self) { try CopyPlan.make(sourceIsDirectory: false, contentsOnly: false, sourceBase: "s", destination: "/new/", status: status) }
        #expect(throws: RundleError.self) { try CopyPlan.make(sourceIsDirectory: false, contentsOnly: false, sourceBase: "s", destination: "/x/y", status: status) }
    }
}
