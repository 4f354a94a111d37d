import Foundation
import Testing

@Suite("cp: stream-in, stream-out and host copies without tar in the container", .enabled(if: IntegrationEnvironment.enabled))
struct CopyTests {
    /// `rundle cp ARGS` through a shell so binary tar streams can be redirected from/to files.
    func cp(_ t: TestDepot, _ args: String) throws -> RundleResult {
        try Run.command("/bin/sh", ["-c", "'\(t.env.rundle)' cp \(t.globalArgs.map { "'\($0)'" }.joined(separator: " ")) \(args)"])
    }

    func sh(_ script: String) throws -> RundleResult {
        try Run.command("/bin/sh", ["-c", script])
    }

    func python(_ code: String) throws -> RundleResult {
        try Run.command("/usr/bin/python3", ["-c", code])
    }

    static let longName = String(repeating: "l", count: 120)

    /// A host tree: src/file (0751), src/sub/<long name>, src/link -> file.
    func makeTree(_ t: TestDepot) throws -> String {
        let src = t.dir + "/src"
        let r = try sh("mkdir -p \(src)/sub && printf hello > \(src)/file && chmod 751 \(src)/file && ln -s file \(src)/link && printf long > \(src)/sub/\(Self.longName) && chmod 700 \(src)/sub")
        #expect(r.status == 0, "\(r)")
        return src
    }

    @Test func streamInThenStreamOutRoundTrips() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        _ = try makeTree(t)
        #expect(try sh("tar -C \(t.dir) -cf \(t.dir)/in.tar src").status == 0)
        let into = try cp(t, "- \(h):/tmp/in < \(t.dir)/in.tar")
        #expect(into.status == 0, "\(into)")
        let inside = try t.rundle("exec", [h, "--", "sh", "-c", "cat /tmp/in/src/file; echo; cat /tmp/in/src/sub/\(Self.longName); echo; readlink /tmp/in/src/link; stat -c '%a %u' /tmp/in/src/file /tmp/in/src/sub"])
        #expect(inside.stdout == "hello\nlong\nfile\n751 0\n700 0\n", "\(inside)")

        let out = try cp(t, "\(h):/tmp/in/src - > \(t.dir)/out.tar")
        #expect(out.status == 0, "\(out)")
        #expect(try sh("mkdir \(t.dir)/back && tar -C \(t.dir)/back -xf \(t.dir)/out.tar").status == 0)
        let diff = try sh("diff -r --no-dereference \(t.dir)/src \(t.dir)/back/src && stat -c '%a' \(t.dir)/back/src/file \(t.dir)/back/src/sub")
        #expect(diff.status == 0 && diff.stdout == "751\n700\n", "\(diff)")
        let list = try sh("tar -tf \(t.dir)/out.tar | head -1")
        #expect(list.stdout == "src/\n")
        // A trailing "/" archives the directory itself as ./
        let dot = try cp(t, "\(h):/tmp/in/src/ - | tar -tf - | sort | head -2")
        #expect(dot.stdout == "./\n./file\n", "\(dot)")
        // A single file.
        let file = try cp(t, "\(h):/tmp/in/src/file - | tar -xOf -")
        #expect(file.stdout == "hello", "\(file)")
    }

    @Test func userOwnsWhatIsStreamedIn() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        _ = try makeTree(t)
        let r = try sh("tar -C \(t.dir) -cf - src | '\(t.env.rundle)' cp \(t.globalArgs.joined(separator: " ")) -u alice - \(h):/tmp/alice/deep")
        #expect(r.status == 0, "\(r)")
        let inside = try t.rundle("exec", [h, "--", "stat", "-c", "%u %g", "/tmp/alice/deep/src/file", "/tmp/alice", "/tmp/alice/deep/src/link"])
        #expect(inside.stdout == "1000 1000\n1000 1000\n1000 1000\n", "\(inside)")
        let host = try sh("stat -c %u \(t.depot)/\(h)/rootfs/tmp/alice/deep/src/file")
        #expect(host.stdout == "101000\n", "\(host)")
        let unknown = try cp(t, "-u mallory - \(h):/tmp < /dev/null")
        #expect(unknown.status == 125)
        #expect(unknown.stderr.contains("unknown user 'mallory'"), "\(unknown)")
    }

    @Test func hostileArchivesAreRefusedAndWriteNothingOutside() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let token = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let pwned = "/tmp/rundle-pwned-\(token)"
        func archive(_ name: String, _ body: String) throws -> String {
            let path = "\(t.dir)/\(name).tar"
            let r = try python("""
                import tarfile, io
                t = tarfile.open('\(path)', 'w', format=tarfile.PAX_FORMAT)
                def f(n, data=b'x'):
                    i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))
                def l(n, target, kind):
                    i = tarfile.TarInfo(n); i.type = kind; i.linkname = target; t.addfile(i)
                \(body)
                t.close()
                """)
            #expect(r.status == 0, "\(r)")
            return path
        }
        let cases = [
            ("climb", "f('ok-before')\nf('../../../../tmp/rundle-pwned-\(token)')"),
            ("symlink", "f('ok-before')\nl('evil', '/', tarfile.SYMTYPE)\nf('evil/tmp/pwned-\(token)')"),
            ("relsymlink", "l('up', '../../..', tarfile.SYMTYPE)\nf('up/tmp/pwned-\(token)')"),
            ("hardlink", "f('ok-before')\nl('shadow', '/etc/shadow', tarfile.LNKTYPE)"),
            ("hardlinkclimb", "l('shadow', '../../etc/shadow', tarfile.LNKTYPE)"),
            ("device", "i = tarfile.TarInfo('null'); i.type = tarfile.CHRTYPE; i.devmajor = 1; i.devminor = 3; t.addfile(i)"),
        ]
        _ = try t.rundle("exec", [h, "--", "mkdir", "-p", "/tmp/dest/a"])
        for (name, body) in cases {
            let path = try archive(name, body)
            let r = try cp(t, "- \(h):/tmp/dest/a < \(path)")
            #expect(r.status == 125, "\(name): \(r)")
            #expect(r.stderr.contains("refusing the archive"), "\(name): \(r)")
            let left = try t.rundle("exec", [h, "--", "sh", "-c", "ls -A /tmp/dest/a; ls /tmp | grep pwned; ls -A /tmp/dest | grep -v '^a$'; true"])
            #expect(left.stdout == "", "\(name): extraction left \(left.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: pwned))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned-\(token)"))
        let shadow = try t.rundle("exec", [h, "--", "sh", "-c", "ls /tmp/dest/a/shadow 2>&1; true"])
        #expect(shadow.stdout.contains("No such file"), "\(shadow)")

        // Truncated and garbage input.
        let tree = try archive("good", "f('a', b'x' * 5000)")
        let cut = try sh("head -c 2000 \(tree) > \(t.dir)/cut.tar")
        #expect(cut.status == 0)
        let r = try cp(t, "- \(h):/tmp/dest/a < \(t.dir)/cut.tar")
        #expect(r.status == 125 && r.stderr.contains("truncated"), "\(r)")
        let garbage = try cp(t, "- \(h):/tmp/dest/a < /etc/hostname")
        #expect(garbage.status == 125, "\(garbage)")
    }

    @Test func worksWithoutTarInTheContainerAndWhenStopped() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        #expect(try t.rundle("exec", [h, "--", "rm", "/bin/tar"]).status == 0)
        #expect(try t.rundle("exec", [h, "--", "sh", "-c", "test ! -e /bin/tar && test ! -e /usr/bin/tar"]).status == 0)
        _ = try makeTree(t)
        let into = try sh("tar -C \(t.dir) -cf - src | '\(t.env.rundle)' cp \(t.globalArgs.joined(separator: " ")) - \(h):/srv")
        #expect(into.status == 0, "\(into)")
        let cat = try t.rundle("exec", [h, "--", "cat", "/srv/src/file"])
        #expect(cat.stdout == "hello")
        let stop = try t.rundle("stop", [h])
        if stop.status == 0 {
            let out = try cp(t, "\(h):/srv/src/file - | tar -xOf -")
            #expect(out.stdout == "hello", "\(out)")
            let again = try sh("tar -C \(t.dir) -cf - src | '\(t.env.rundle)' cp \(t.globalArgs.joined(separator: " ")) - \(h):/srv2")
            #expect(again.status == 0, "\(again)")
            #expect(FileManager.default.fileExists(atPath: "\(t.depot)/\(h)/rootfs/srv2/src/file"))
        }
    }

    @Test func hostPathCopiesFollowDockerCp() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let h = try t.create()
        let src = try makeTree(t)
        // Directory into an existing directory: lands inside it.
        #expect(try cp(t, "\(src) \(h):/tmp").status == 0)
        // Directory to a missing path: becomes that path.
        #expect(try cp(t, "\(src) \(h):/tmp/copy").status == 0)
        // Contents only.
        #expect(try t.rundle("exec", [h, "--", "mkdir", "/tmp/contents"]).status == 0)
        #expect(try cp(t, "\(src)/. \(h):/tmp/contents").status == 0)
        // A file to a new name, and over an existing file.
        #expect(try cp(t, "-u alice \(src)/file \(h):/tmp/renamed").status == 0)
        #expect(try cp(t, "\(src)/sub/\(Self.longName) \(h):/tmp/renamed").status == 0)
        let inside = try t.rundle("exec", [h, "--", "sh", "-c", "cat /tmp/src/file /tmp/copy/file /tmp/contents/file; echo; cat /tmp/renamed; echo; readlink /tmp/copy/link"])
        #expect(inside.stdout == "hellohellohello\nlong\nfile\n", "\(inside)")
        // A directory onto a file, a file into a missing directory.
        #expect(try cp(t, "\(src) \(h):/tmp/renamed").status == 125)
        #expect(try cp(t, "\(src)/file \(h):/nope/x").status == 125)
        #expect(try cp(t, "\(src)/file \(h):/tmp/nodir/").status == 125)

        // Out to the host.
        #expect(try cp(t, "\(h):/tmp/copy \(t.dir)/out").status == 0)
        #expect(try sh("diff -r --no-dereference \(src) \(t.dir)/out").status == 0)
        #expect(try cp(t, "\(h):/etc/passwd \(t.dir)/out").status == 0)
        #expect(FileManager.default.fileExists(atPath: "\(t.dir)/out/passwd"))
        #expect(try cp(t, "\(h):/tmp/copy/file \(t.dir)/single").status == 0)
        #expect(try String(contentsOfFile: "\(t.dir)/single", encoding: .utf8) == "hello")
        // An in-container symlink to / never reaches the host's files.
        #expect(try t.rundle("exec", [h, "--", "ln", "-s", "/", "/tmp/rootlink"]).status == 0)
        let escaped = try cp(t, "\(h):/tmp/rootlink/etc/hostname -")
        let containerHostname = try t.rundle("exec", [h, "--", "cat", "/etc/hostname"])
        if escaped.status == 0 {
            #expect(escaped.stdout.contains(containerHostname.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    @Test func unknownAndBadArguments() throws {
        let t = try TestDepot()
        defer { t.tearDown() }
        let unknown = try cp(t, "- \(t.prefix)-nope:/tmp < /dev/null")
        #expect(unknown.status == 125)
        #expect(unknown.stderr.contains("does not exist"), "\(unknown)")
        let out = try cp(t, "\(t.prefix)-nope:/tmp -")
        #expect(out.status == 125)
        let h = try t.create()
        let missing = try cp(t, "\(h):/no/such -")
        #expect(missing.status == 125 && missing.stdout.isEmpty, "\(missing)")
        #expect(try cp(t, "a b").status != 0)
    }
}
