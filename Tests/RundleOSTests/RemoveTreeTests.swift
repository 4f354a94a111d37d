import Glibc
import Testing
@testable import RundleOS

@Suite struct RemoveTreeTests {
    @Test func removesANestedTreeWithoutFollowingSymlinks() throws {
        let outside = try makeTemporaryDirectory("keep")
        defer { cleanUp(outside) }
        try makeDirectories("\(outside)/dir")
        try writeFileAtomically("\(outside)/keep.txt", bytes("keep"))
        try writeFileAtomically("\(outside)/dir/inner.txt", bytes("inner"))

        let tree = try makeTemporaryDirectory("tree")
        defer { if fileExists(tree) { cleanUp(tree) } }
        try makeDirectories("\(tree)/a/b/c")
        try writeFileAtomically("\(tree)/a/b/c/file", bytes("x"))
        try writeFileAtomically("\(tree)/a/top", bytes("y"))
        #expect(symlink("\(outside)/keep.txt", "\(tree)/a/file-link") == 0)
        #expect(symlink("\(outside)/dir", "\(tree)/a/b/dir-link") == 0)
        #expect(symlink("/", "\(tree)/root-link") == 0)
        #expect(symlink("/nonexistent", "\(tree)/dangling") == 0)
        // A name that is not UTF-8 must still be removable.
        let odd: [CChar] = Array("\(tree)/a/odd-".utf8CString.dropLast()) + [CChar(bitPattern: 0xff), 0]
        let oddFD = open(odd, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(oddFD >= 0)
        closeDescriptor(oddFD)
        if runningAsRoot {
            #expect(chmod("\(tree)/a/b", 0o500) == 0)   // read-only dir: root may still empty it
        }

        try removeTree(tree)

        #expect(!fileExists(tree))
        #expect(text(try readFile("\(outside)/keep.txt")) == "keep")
        #expect(text(try readFile("\(outside)/dir/inner.txt")) == "inner")
        #expect(try listDirectory(outside) == ["dir", "keep.txt"])
    }

    @Test func missingPathIsFine() throws {
        try removeTree("/tmp/rundle-no-such-tree-\(UInt64.random(in: 0...UInt64.max))")
    }

    @Test func symlinkTopIsRemovedNotFollowed() throws {
        let dir = try makeTemporaryDirectory("tree")
        defer { cleanUp(dir) }
        try makeDirectories("\(dir)/real")
        try writeFileAtomically("\(dir)/real/file", bytes("z"))
        #expect(symlink("\(dir)/real", "\(dir)/link") == 0)
        try removeTree("\(dir)/link")
        #expect(try listDirectory(dir) == ["real"])
        #expect(try listDirectory("\(dir)/real") == ["file"])
    }

    @Test func plainFileTop() throws {
        let dir = try makeTemporaryDirectory("tree")
        defer { cleanUp(dir) }
        try writeFileAtomically("\(dir)/file", [])
        try removeTree("\(dir)/file")
        #expect(try listDirectory(dir).isEmpty)
    }
}
