import Testing
import RundleJSON
@testable import RundleOCI

@Suite struct RuntimeStateTests {
    @Test func runcState() throws {
        let state = try #require(RuntimeState(json: json("""
            {"ociVersion": "1.0.2", "id": "h1", "pid": 4242, "status": "running",
             "bundle": "/var/lib/rundle/h1", "rootfs": "/var/lib/rundle/h1/rootfs",
             "created": "2024-01-01T00:00:00.123456789Z", "owner": "",
             "annotations": {"x": "y"}}
            """)))
        #expect(state == RuntimeState(status: "running", pid: 4242, bundle: "/var/lib/rundle/h1"))
    }

    @Test func crunStateOfAStoppedContainer() throws {
        let state = try #require(RuntimeState(json: json("""
            {"ociVersion": "1.0.0", "id": "h1", "pid": 0, "status": "stopped", "bundle": "/b",
             "rootfs": "/b/rootfs", "created": "2024-01-01T00:00:00Z", "systemd-scope": "", "owner": "root"}
            """)))
        #expect(state.status == "stopped")
        #expect(state.pid == 0)
        #expect(state.bundle == "/b")
    }

    @Test func optionalMembers() throws {
        let state = try #require(RuntimeState(json: json(#"{"status": "creating"}"#)))
        #expect(state == RuntimeState(status: "creating", pid: 0, bundle: nil))
    }

    @Test(arguments: [
        #"{}"#,
        #"{"pid": 1, "bundle": "/b"}"#,
        #"{"status": 1, "pid": 1}"#,
        #"{"status": null}"#,
        #"[{"status": "running"}]"#,
        #""running""#,
        #"null"#,
    ])
    func notAState(_ text: String) {
        #expect(RuntimeState(json: json(text)) == nil)
    }

    @Test func wrongTypesOfOptionalMembersAreIgnored() throws {
        let state = try #require(RuntimeState(json: json(#"{"status": "paused", "pid": "12", "bundle": 7}"#)))
        #expect(state == RuntimeState(status: "paused", pid: 0, bundle: nil))
    }
}
