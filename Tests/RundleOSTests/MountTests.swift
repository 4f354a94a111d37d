import Glibc
import Testing
@testable import RundleOS

/// Mount tests: root only. Every mount is undone in a defer, so a failing expectation leaves
/// nothing mounted.
@Suite(.serialized, .enabled(if: runningAsRoot, "mounting needs root"))
struct MountTests {
    @Test func overlayWritesLandInUpperAndLowerIsUntouched() throws {
        let dir = try makeTemporaryDirectory("overlay")
        defer { cleanUp(dir) }
        for name in ["lower", "upper", "work", "merged"] { try makeDirectory("\(dir)/\(name)") }
        try writeFileAtomically("\(dir)/lower/base", bytes("base"))
        try mountOverlay(lowerDirs: ["\(dir)/lower"], upperDir: "\(dir)/upper",
                         workDir: "\(dir)/work", target: "\(dir)/merged")
        defer { _ = try? unmount("\(dir)/merged", detach: true) }
        #expect(isMountPoint("\(dir)/merged"))

        #expect(text(try readFile("\(dir)/merged/base")) == "base")
        try writeFileAtomically("\(dir)/merged/new", bytes("new"))
        try appendAndSync("\(dir)/merged/base", bytes("+more"))
        #expect(text(try readFile("\(dir)/upper/new")) == "new")
        #expect(text(try readFile("\(dir)/upper/base")) == "base+more")
        #expect(text(try readFile("\(dir)/lower/base")) == "base")
        #expect(!fileExists("\(dir)/lower/new"))

        #expect(try unmount("\(dir)/merged") == true)
        #expect(try unmount("\(dir)/merged") == false)
        #expect(!isMountPoint("\(dir)/merged"))
        #expect(try unmount("\(dir)/missing") == false)
    }

    @Test func overlayRejectsPathsItCannotQuote() throws {
        #expect(throws: OSError(errno: EINVAL, call: "mount overlay", path: "/tmp/a,b")) {
            try mountOverlay(lowerDirs: ["/tmp/a,b"], upperDir: "/tmp/u", workDir: "/tmp/w", target: "/tmp/m")
        }
        #expect(throws: OSError(errno: EINVAL, call: "mount overlay", path: "/tmp/m")) {
            try mountOverlay(lowerDirs: [], upperDir: "/tmp/u", workDir: "/tmp/w", target: "/tmp/m")
        }
    }

    @Test func removeTreeDoesNotEnterAMountedDirectory() throws {
        // The "shared base" lives outside the tree and is bind-mounted into it: same
        // filesystem, same st_dev — only the mount id tells them apart.
        let base = try makeTemporaryDirectory("base")
        defer { cleanUp(base) }
        try writeFileAtomically("\(base)/precious", bytes("precious"))
        let tree = try makeTemporaryDirectory("depot")
        defer { if fileExists(tree) { cleanUp(tree) } }
        try makeDirectories("\(tree)/container/rootfs")
        try writeFileAtomically("\(tree)/container/config.json", bytes("{}"))
        try writeFileAtomically("\(tree)/other", bytes("other"))
        try bindMount(source: base, target: "\(tree)/container/rootfs", readOnly: false)
        defer { _ = try? unmount("\(tree)/container/rootfs", detach: true) }
        #expect(isMountPoint("\(tree)/container/rootfs"))

        #expect(throws: OSError(errno: EBUSY, call: "removeTree", path: "\(tree)/container/rootfs")) {
            try removeTree(tree)
        }
        #expect(text(try readFile("\(base)/precious")) == "precious")
        #expect(text(try readFile("\(tree)/container/rootfs/precious")) == "precious")
        #expect(!fileExists("\(tree)/other"))
        #expect(!fileExists("\(tree)/container/config.json"))

        // The mount point itself is refused too, with its content intact.
        #expect(throws: OSError(errno: EBUSY, call: "removeTree", path: "\(tree)/container/rootfs")) {
            try removeTree("\(tree)/container/rootfs")
        }
        #expect(fileExists("\(base)/precious"))

        // Parallel tests start runtimes and namespaces that may hold the mount for a moment:
        // poll (bounded) until the unmount goes through.
        var unmounted = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !unmounted, ContinuousClock.now < deadline {
            if let done = try? unmount("\(tree)/container/rootfs") { unmounted = done; if !done { break } } else { usleep(20_000) }
        }
        #expect(unmounted)
        try removeTree(tree)
        #expect(!fileExists(tree))
        #expect(fileExists("\(base)/precious"))
    }

    @Test func removeTreeDoesNotEnterAnotherFilesystem() throws {
        let tree = try makeTemporaryDirectory("depot")
        defer { if fileExists(tree) { cleanUp(tree) } }
        try makeDirectories("\(tree)/tmpfs")
        try mountFilesystem(type: "tmpfs", source: "tmpfs", target: "\(tree)/tmpfs")
        defer { _ = try? unmount("\(tree)/tmpfs", detach: true) }
        try writeFileAtomically("\(tree)/tmpfs/kept", bytes("kept"))
        #expect(throws: OSError(errno: EBUSY, call: "removeTree", path: "\(tree)/tmpfs")) {
            try removeTree(tree)
        }
        #expect(fileExists("\(tree)/tmpfs/kept"))
    }

    @Test func readOnlyBindMount() throws {
        let dir = try makeTemporaryDirectory("bind")
        defer { cleanUp(dir) }
        try makeDirectories("\(dir)/source")
        try makeDirectories("\(dir)/target")
        try writeFileAtomically("\(dir)/source/file", bytes("data"))
        try bindMount(source: "\(dir)/source", target: "\(dir)/target", readOnly: true)
        defer { _ = try? unmount("\(dir)/target", detach: true) }
        #expect(text(try readFile("\(dir)/target/file")) == "data")
        #expect(throws: OSError(errno: EROFS, call: "open", path: "\(dir)/target/file")) {
            try appendAndSync("\(dir)/target/file", bytes("x"))
        }
        try appendAndSync("\(dir)/source/file", bytes("+"))   // the source stays writable
        #expect(text(try readFile("\(dir)/target/file")) == "data+")
        #expect(try unmount("\(dir)/target"))
    }

    @Test func idmappedMountShowsMappedOwners() throws {
        let dir = try makeTemporaryDirectory("idmap")
        defer { cleanUp(dir) }
        try makeDirectories("\(dir)/source")
        try makeDirectories("\(dir)/target")
        try writeFileAtomically("\(dir)/source/file", bytes("owned by root"))
        try changeOwner("\(dir)/source/file", uid: 0, gid: 0)
        let map = [IDMap(containerID: 0, hostID: 100_000, size: 65536)]
        try mountIdmapped(source: "\(dir)/source", target: "\(dir)/target", uidMaps: map, gidMaps: map)
        defer { _ = try? unmount("\(dir)/target", detach: true) }

        var info = stat()
        #expect(stat("\(dir)/target/file", &info) == 0)
        #expect(info.st_uid == 100_000 && info.st_gid == 100_000)
        #expect(stat("\(dir)/source/file", &info) == 0)
        #expect(info.st_uid == 0 && info.st_gid == 0)   // the source is unchanged
        #expect(text(try readFile("\(dir)/target/file")) == "owned by root")
        #expect(try unmount("\(dir)/target"))
    }

    @Test func userNamespaceCarriesTheMaps() throws {
        let map = [IDMap(containerID: 0, hostID: 200_000, size: 1000), IDMap(containerID: 1000, hostID: 300_000, size: 1)]
        let fd = try makeUserNamespace(uidMaps: map, gidMaps: map)
        defer { closeDescriptor(fd) }
        let target = try #require(readLink("/proc/self/fd/\(fd)"))
        #expect(target.hasPrefix("user:["))
        #expect(readLink("/proc/self/ns/user") != target)
    }

    @Test func userNamespaceHelpersAreReaped() throws {
        let map = [IDMap(containerID: 0, hostID: 100_000, size: 65536)]
        for _ in 0..<20 {
            closeDescriptor(try makeUserNamespace(uidMaps: map, gidMaps: map))
        }
        // A leaked helper would be a zombie child of ours in another user namespace.
        #expect(try zombieChildrenInOtherUserNamespaces() == [])
    }

    @Test func userNamespaceWithAnInvalidMapFails() {
        // Overlapping ranges are refused by the kernel when the map is written.
        let map = [IDMap(containerID: 0, hostID: 100_000, size: 10), IDMap(containerID: 5, hostID: 200_000, size: 10)]
        #expect(throws: OSError(errno: EINVAL, call: "write uid_map")) {
            _ = try makeUserNamespace(uidMaps: map, gidMaps: map)
        }
        #expect((try? zombieChildrenInOtherUserNamespaces()) == [])
    }

    /// Pids of zombie children of this process whose uid_map is not ours: leaked helpers (a
    /// zombie keeps its credentials, so /proc/<pid>/uid_map still tells).
    func zombieChildrenInOtherUserNamespaces() throws -> [pid_t] {
        let me = getpid()
        let ownMap = try readFile("/proc/self/uid_map")
        var found: [pid_t] = []
        for entry in try listDirectory("/proc") {
            guard let pid = pid_t(entry), let stat = try? text(readFile("/proc/\(pid)/stat")),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, fields[0] == "Z", pid_t(fields[1]) == me else { continue }
            if let map = try? readFile("/proc/\(pid)/uid_map"), map != ownMap { found.append(pid) }
        }
        return found
    }
}
