import Testing
@testable import RundleJSON

@Suite struct JSONLinesTests {
    @Test func valueSplitAcrossFeedsWaitsForItsLine() throws {
        var lines = JSONLines()
        #expect(try lines.feed(Array(#"{"level":"info","msg":"hel"#.utf8)) == [])
        #expect(lines.pendingByteCount > 0)
        let values = try lines.feed(Array("lo\"}\n\n   \n\r\n{\"a\":1}\r\n{\"b\"".utf8))
        #expect(values == [["level": "info", "msg": "hello"], ["a": 1]])
        #expect(try lines.feed(Array(":2}\n".utf8)) == [["b": 2]])
        #expect(lines.pendingByteCount == 0)
        #expect(try lines.feed([]) == [])
    }

    @Test func splitInsideAMultiByteCharacter() throws {
        let bytes = Array("{\"msg\":\"café 😀\"}\n".utf8)
        let cut = bytes.firstIndex(of: 0xC3)! + 1  // between the two bytes of "é"
        var lines = JSONLines()
        #expect(try lines.feed(Array(bytes[..<cut])) == [])
        #expect(try lines.feed(Array(bytes[cut...])) == [["msg": "café 😀"]])
    }

    @Test func oneByteAtATime() throws {
        let text = "{\"time\":\"2024-05-01T10:00:00Z\",\"level\":\"error\",\"msg\":\"container_linux.go:380: starting container process caused: exec: \\\"sh\\\": executable file not found in $PATH\"}\n7\n\n[1,2]\n"
        var lines = JSONLines()
        var values: [JSON] = []
        for byte in text.utf8 { values += try lines.feed([byte]) }
        #expect(try values == JSONLines.parseAll(Array(text.utf8)))
        #expect(values.count == 3)
        #expect(values[0]["msg"]?.stringValue?.hasSuffix("\"sh\": executable file not found in $PATH") == true)
    }

    @Test func unterminatedLastLineNeedsFinish() throws {
        var lines = JSONLines()
        #expect(try lines.feed(Array("1\n23".utf8)) == [1])
        #expect(try lines.feed(Array("4".utf8)) == [])  // could still become 2345
        #expect(try lines.finish() == [234])
        #expect(try lines.finish() == [])
    }

    @Test func malformedLineInFeedReportsStreamOffsetAndRecovers() throws {
        var lines = JSONLines()
        #expect(try lines.feed(Array("{\"a\":1}\n".utf8)) == [["a": 1]])  // 8 bytes
        do {
            _ = try lines.feed(Array("{\"b\":2}\n{\"c\":}\n{\"d\":4}\n".utf8))
            Issue.record("expected a JSONError")
        } catch {
            // The bad line starts at stream byte 16; yajl stops 6 bytes into it.
            #expect(error.offset == 22)
            #expect(error.message == "unallowed token at this point in JSON text")
        }
        // The value before the bad line and the line after it are not lost.
        #expect(try lines.feed([]) == [["b": 2], ["d": 4]])
        #expect(try lines.feed(Array("5\n".utf8)) == [5])
    }

    @Test func parseAllSkipsBlankLinesAndReportsOffsetInWholeBuffer() throws {
        let good = "{\"a\":1}\n\n  \t \n[true]\r\n\"x\"\n   null"
        #expect(try JSONLines.parseAll(Array(good.utf8)) == [["a": 1], [true], "x", nil])
        #expect(try JSONLines.parseAll([]) == [])
        #expect(try JSONLines.parseAll(Array("\n\n".utf8)) == [])

        do {
            _ = try JSONLines.parseAll(Array("{\"a\":1}\n\n{\"a\":}\n{\"b\":2}\n".utf8))
            Issue.record("expected a JSONError")
        } catch {
            #expect(error.offset == 15)  // line 3 starts at byte 9; yajl stops 6 bytes into it
        }
        do {
            _ = try JSONLines.parseAll(Array("1\n2 3\n".utf8))
            Issue.record("expected a JSONError")
        } catch {
            #expect(error.message == "trailing garbage")  // one value per line
            #expect(error.offset == 5)
        }
        do {
            _ = try JSONLines.parseAll(Array("1\n{\"open\":\n".utf8))
            Issue.record("expected a JSONError")
        } catch {
            #expect(error.offset == 10)  // a value does not continue onto the next line
            #expect(error.message == "premature EOF")
        }
    }
}
