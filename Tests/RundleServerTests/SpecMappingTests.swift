import GardenProtocol
import RundleCore
import XCTest
@testable import RundleServer

final class SpecMappingTests: XCTestCase {
    func testContainerSpecCarriesLimitsMountsEnvAndProperties() throws {
        var spec = GardenContainerSpec(handle: "c1")
        spec.rootfs = "raw:///srv/rootfs"
        spec.env = ["A=1"]
        spec.privileged = true
        spec.properties = ["b": "2", "a": "1"]
        spec.limits.memory.limitInBytes = 64 << 20
        spec.limits.cpu.limitInShares = 512
        spec.limits.pid.max = 128
        spec.bindMounts = [GardenBindMount(srcPath: "/host", dstPath: "/in", mode: .readWrite)]
        let core = try SpecMapping.containerSpec(spec, defaultRootfs: nil)
        XCTAssertEqual(core.handle, "c1")
        XCTAssertEqual(core.rootfs, "/srv/rootfs")
        XCTAssertEqual(core.env, ["A=1"])
        XCTAssertTrue(core.privileged)
        XCTAssertEqual(core.limits.memoryBytes, 64 << 20)
        XCTAssertEqual(core.limits.cpuShares, 512)
        XCTAssertEqual(core.limits.pids, 128)
        XCTAssertEqual(core.bindMounts, [BindMount(source: "/host", destination: "/in", readOnly: false)])
        XCTAssertEqual(core.properties.map(\.key), ["a", "b"])
    }

    func testRootfsChoices() throws {
        XCTAssertEqual(try SpecMapping.rootfsPath("", defaultRootfs: "/default"), "/default")
        XCTAssertEqual(try SpecMapping.rootfsPath("/abs", defaultRootfs: nil), "/abs")
        XCTAssertThrowsError(try SpecMapping.rootfsPath("", defaultRootfs: nil))
        XCTAssertThrowsError(try SpecMapping.rootfsPath("docker:///busybox", defaultRootfs: "/d")) { error in
            XCTAssertTrue((error as? GardenError)?.message.contains("image plugin") == true, "\(error)")
        }
    }

    func testContainerOriginBindMountIsRefused() {
        var spec = GardenContainerSpec(handle: "c1")
        spec.bindMounts = [GardenBindMount(srcPath: "/in/container", dstPath: "/x", origin: .container)]
        XCTAssertThrowsError(try SpecMapping.containerSpec(spec, defaultRootfs: "/d"))
    }

    func testProcessRequest() throws {
        var spec = GardenProcessSpec(path: "sh", args: ["-c", "env"])
        spec.env = ["TEST=hello"]
        spec.user = "alice"
        spec.dir = "/tmp"
        spec.rlimits = ["nofile": 1024]
        spec.tty = TTYSpec()
        let request = try SpecMapping.processRequest(spec)
        XCTAssertEqual(request.args, ["sh", "-c", "env"])
        XCTAssertEqual(request.env, ["TEST=hello"])
        XCTAssertEqual(request.user, "alice")
        XCTAssertEqual(request.cwd, "/tmp")
        XCTAssertTrue(request.tty)
        XCTAssertEqual(request.windowColumns, 80)
        XCTAssertEqual(request.windowRows, 24)
        XCTAssertEqual(request.rlimits, [Rlimit(type: "RLIMIT_NOFILE", soft: 1024, hard: 1024)])
    }

    func testProcessRequestRefusals() {
        var mounts = GardenProcessSpec(path: "ls")
        mounts.bindMounts = [GardenBindMount(srcPath: "/a", dstPath: "/b")]
        XCTAssertThrowsError(try SpecMapping.processRequest(mounts)) { error in
            XCTAssertEqual((error as? GardenError)?.message, "Running a process with bind mounts and no image provided is not allowed")
        }
        var pea = GardenProcessSpec(path: "ls")
        pea.image = ImageRef(uri: "/rootfs")
        XCTAssertThrowsError(try SpecMapping.processRequest(pea))
        XCTAssertThrowsError(try SpecMapping.processRequest(GardenProcessSpec(path: "")))
    }

    func testNetInOnHostNetwork() throws {
        XCTAssertEqual(try SpecMapping.portMapping(NetInRequest(hostPort: 0, containerPort: 8080)), 8080)
        XCTAssertEqual(try SpecMapping.portMapping(NetInRequest(hostPort: 8080, containerPort: 8080)), 8080)
        XCTAssertEqual(try SpecMapping.portMapping(NetInRequest(hostPort: 9000, containerPort: 0)), 9000)
        XCTAssertThrowsError(try SpecMapping.portMapping(NetInRequest(hostPort: 61001, containerPort: 8080)))
        XCTAssertThrowsError(try SpecMapping.portMapping(NetInRequest()))
    }
}

final class ExecutableNotFoundMessageTests: XCTestCase {
    func testRuncWordsPassThroughAndCrunWordsAreMadeMatchable() {
        let runc = "exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH"
        XCTAssertEqual(GardenAPI.executableNotFoundMessage(runc, executable: "nope"), runc)
        let crun = "executable file `nope` not found in $PATH: No such file or directory"
        let mapped = GardenAPI.executableNotFoundMessage(crun, executable: "nope")
        XCTAssertTrue(mapped.contains("executable file not found in $PATH"), mapped)
        XCTAssertTrue(mapped.contains(crun), mapped)
        let path = GardenAPI.executableNotFoundMessage("crun: open `/bin/nope`: ENOENT", executable: "/bin/nope")
        XCTAssertTrue(path.hasPrefix("exec: stat /bin/nope: no such file or directory"), path)
    }
}
