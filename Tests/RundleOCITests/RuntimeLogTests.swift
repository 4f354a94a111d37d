import Testing
@testable import RundleOCI

@Suite struct RuntimeLogTests {
    func log(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func lastErrorOfARuncLog() {
        let text = """
            {"level":"debug","msg":"nsexec started","time":"2024-01-01T00:00:00Z"}
            {"level":"error","msg":"an earlier error","time":"2024-01-01T00:00:00Z"}
            {"level":"warning","msg":"a warning","time":"2024-01-01T00:00:00Z"}
            {"level":"error","msg":"container does not exist","time":"2024-01-01T00:00:01Z"}
            {"level":"info","msg":"exiting","time":"2024-01-01T00:00:02Z"}

            """
        #expect(RuntimeLog.lastError(log(text)) == "container does not exist")
        #expect(RuntimeLog.lines(log(text)).map(\.level) == ["debug", "error", "warning", "error", "info"])
    }

    @Test func crunPutsMsgFirst() {
        let text = #"{"msg":"error opening file `/run/crun/h/status`: No such file or directory","level":"error","time":"2024-01-01T00:00:00.370438Z"}"#
        #expect(RuntimeLog.lastError(log(text)) == "error opening file `/run/crun/h/status`: No such file or directory")
    }

    @Test(arguments: ["fatal", "panic", "error"])
    func errorLevels(_ level: String) {
        let text = #"{"level":"error","msg":"first"}"# + "\n" + #"{"level":"\#(level)","msg":"last"}"#
        #expect(RuntimeLog.lastError(log(text)) == "last")
        #expect(RuntimeLogLine(level: level, message: "x").isError)
    }

    @Test(arguments: ["warning", "warn", "info", "debug", "trace", ""])
    func otherLevelsAreNotErrors(_ level: String) {
        #expect(!RuntimeLogLine(level: level, message: "x").isError)
    }

    @Test func noErrorLine() {
        #expect(RuntimeLog.lastError([]) == nil)
        #expect(RuntimeLog.lastError(log("\n\n  \n\t\r\n")) == nil)
        #expect(RuntimeLog.lines(log("\n\n  \n\t\r\n")) == [])
        #expect(RuntimeLog.lastError(log(#"{"level":"info","msg":"all good"}"# + "\n" + #"{"level":"warning","msg":"hm"}"#)) == nil)
    }

    @Test func aLineWithoutLevelIsInfo() {
        #expect(RuntimeLog.lines(log(#"{"msg":"no level"}"#)) == [RuntimeLogLine(level: "info", message: "no level")])
        #expect(RuntimeLog.lastError(log(#"{"msg":"no level"}"#)) == nil)
    }

    @Test func aLineThatIsNotJSONIsKeptAsAnError() {
        let text = #"{"level":"error","msg":"json error"}"# + "\npanic: runtime error: index out of range [3] with length 3\n"
            + #"{"level":"info","msg":"after"}"#
        #expect(RuntimeLog.lastError(log(text)) == "panic: runtime error: index out of range [3] with length 3")
        #expect(RuntimeLog.lines(log(text)).count == 3)
    }

    @Test func jsonWithoutAMessageIsKeptVerbatim() {
        // Not a log line runc would write, but what it said must not be lost.
        let line = #"{"level":"error","error":"no msg member"}"#
        #expect(RuntimeLog.lastError(log(line)) == line)
    }

    @Test func crlfAndAMissingFinalNewline() {
        let text = "{\"level\":\"error\",\"msg\":\"one\"}\r\n{\"level\":\"error\",\"msg\":\"two\"}"
        #expect(RuntimeLog.lastError(log(text)) == "two")
        #expect(RuntimeLog.lines(log(text)).map(\.message) == ["one", "two"])
    }

    @Test func escapesAndUnicodeInMessages() {
        let text = #"{"level":"error","msg":"exec: \"/bin/caf\u00e9\": stat /bin/café: no such file or directory\ttab"}"#
        #expect(RuntimeLog.lastError(log(text)) == "exec: \"/bin/café\": stat /bin/café: no such file or directory\ttab")
    }

    @Test func truncatedLastLine() {
        // A runtime killed mid-write leaves half a JSON line: it is still the last thing it said.
        let text = #"{"level":"error","msg":"complete"}"# + "\n" + #"{"level":"error","msg":"cut of"#
        #expect(RuntimeLog.lastError(log(text)) == #"{"level":"error","msg":"cut of"#)
    }
}
