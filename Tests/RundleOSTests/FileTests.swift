import Glibc
import Testing
@testable import RundleOS

@Suite struct FileTests {
    @Test func errorDescription() {
        #expect(OSError(errno: EBUSY, call: "mount", path: "/x").description == "mount /x: Device or resource busy")
        #expect(OSError(errno: ENOENT, call: "pidfd_open").description == "pidfd_open: No such file or directory")
    }

    @Test func atomicWriteReplacesContentAndLeavesNoTempFiles() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        let path = "\(dir)/state.json"
        try writeFileAtomically(path, bytes("one"))
        #expect(text(try readFile(path)) == "one")
        try writeFileAtomically(path, bytes("two, longer"), mode: 0o600)
        #expect(text(try readFile(path)) == "two, longer")
        #expect(try listDirectory(dir) == ["state.json"])
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func atomicWriteFailureLeavesNothingBehind() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        try makeDirectory("\(dir)/taken")
        try makeDirectory("\(dir)/taken/child")   // rename onto a non-empty directory fails
        #expect(throws: OSError.self) { try writeFileAtomically("\(dir)/taken", bytes("x")) }
        #expect(try listDirectory(dir) == ["taken"])
    }

    @Test func readFileLimit() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        let path = "\(dir)/data"
        let content = [UInt8](repeating: 0x41, count: 10_000)
        try writeFileAtomically(path, content)
        #expect(try readFile(path, limit: 10_000) == content)
        #expect(throws: OSError(errno: EFBIG, call: "read", path: path)) { _ = try readFile(path, limit: 9_999) }
        #expect(try readFile("/proc/self/stat").count > 0)   // size 0 in stat, content on read
    }

    @Test func appendAndSyncAppends() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        let path = "\(dir)/events.jsonl"
        try appendAndSync(path, bytes("{\"a\":1}\n"))
        try appendAndSync(path, bytes("{\"b\":2}\n"))
        #expect(text(try readFile(path)) == "{\"a\":1}\n{\"b\":2}\n")
    }

    @Test func directories() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        try makeDirectories("\(dir)/a/b/c")
        try makeDirectories("\(dir)/a/b/c")   // again: fine
        #expect(isDirectory("\(dir)/a/b/c"))
        #expect(throws: OSError(errno: EEXIST, call: "mkdir", path: "\(dir)/a")) {
            try makeDirectory("\(dir)/a")
        }
        try writeFileAtomically("\(dir)/a/file", [])
        #expect(fileExists("\(dir)/a/file") && !isDirectory("\(dir)/a/file"))
        #expect(throws: OSError(errno: ENOTDIR, call: "mkdir", path: "\(dir)/a/file")) {
            try makeDirectories("\(dir)/a/file/d")
        }
        #expect(try listDirectory("\(dir)/a") == ["b", "file"])
        try removeFile("\(dir)/a/file")
        try removeFile("\(dir)/a/file")   // already gone: fine
        #expect(!fileExists("\(dir)/a/file"))
        #expect(throws: OSError.self) { try listDirectory("\(dir)/missing") }
    }

    @Test func changeOwnerDoesNotFollowSymlinks() throws {
        let dir = try makeTemporaryDirectory("file")
        defer { cleanUp(dir) }
        try writeFileAtomically("\(dir)/target", [])
        #expect(symlink("\(dir)/target", "\(dir)/link") == 0)
        var before = stat()
        #expect(stat("\(dir)/target", &before) == 0)
        try changeOwner("\(dir)/link", uid: getuid(), gid: getgid())
        var after = stat()
        #expect(stat("\(dir)/target", &after) == 0)
        #expect(after.st_uid == before.st_uid)
        if runningAsRoot {
            try changeOwner("\(dir)/target", uid: 12345, gid: 23456)
            #expect(stat("\(dir)/target", &after) == 0)
            #expect(after.st_uid == 12345 && after.st_gid == 23456)
        }
    }
}

@Suite struct ReadFileInRootTests {
    @Test func absoluteSymlinkResolvesInsideTheRoot() throws {
        let name = "rundle-secret-\(UInt32.random(in: 0...UInt32.max))"
        try #require(!fileExists("/etc/\(name)"))   // the host has no such file
        let root = try makeTemporaryDirectory("root")
        defer { cleanUp(root) }
        try makeDirectories("\(root)/etc")
        try writeFileAtomically("\(root)/etc/\(name)", bytes("inside"))
        #expect(symlink("/etc/\(name)", "\(root)/etc/passwd") == 0)
        #expect(symlink("../../../../../../etc/\(name)", "\(root)/etc/relative") == 0)

        #expect(text(try readFileInRoot(root: root, path: "/etc/passwd")) == "inside")
        #expect(text(try readFileInRoot(root: root, path: "etc/passwd")) == "inside")
        #expect(text(try readFileInRoot(root: root, path: "/etc/relative")) == "inside")
        #expect(text(try readFileInRoot(root: root, path: "../../../etc/\(name)")) == "inside")
    }

    @Test func hostFilesAreNotReachable() throws {
        let root = try makeTemporaryDirectory("root")
        defer { cleanUp(root) }
        try makeDirectories("\(root)/etc")
        #expect(symlink("/etc/hostname", "\(root)/etc/hostname") == 0)   // exists on the host
        #expect(throws: OSError.self) { _ = try readFileInRoot(root: root, path: "/etc/hostname") }
        #expect(throws: OSError.self) { _ = try readFileInRoot(root: root, path: "/proc/self/root/etc/hostname") }
    }

    @Test func limitApplies() throws {
        let root = try makeTemporaryDirectory("root")
        defer { cleanUp(root) }
        try writeFileAtomically("\(root)/big", [UInt8](repeating: 1, count: 100))
        #expect(throws: OSError(errno: EFBIG, call: "read", path: "/big")) {
            _ = try readFileInRoot(root: root, path: "/big", limit: 99)
        }
    }
}
