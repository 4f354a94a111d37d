import Testing
@testable import RundleCore

@Suite struct UserResolverTests {
    static let passwd = """
        root:x:0:0:root:/root:/bin/sh
        # a comment:x:5:5::/nope:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        alice:x:1000:1000:Alice:/home/alice:/bin/sh
        bob:x:1001:100::/home/bob:/bin/sh
        nohome:x:1002:1002:::/bin/sh
        broken line without fields
        badid:x:abc:1::/home/badid:/bin/sh
        :x:1003:1003::/home/empty:/bin/sh
        short:x:1004

        """

    static let group = """
        root:x:0:
        # staff:x:50:alice
        users:x:100:alice,bob
        alice:x:1000:
        wheel:x:10:alice,carol
        audio:x:29:bob,alice,alice
        video:x:44:alice
        video2:x:44:alice
        bob:x:1001:
        garbage
        bad:x:notanumber:alice
        devs:x:2000:

        """

    func resolve(_ spec: String) throws(RundleError) -> ResolvedUser {
        try UserResolver.resolve(spec, passwd: Self.passwd, group: Self.group)
    }

    func expectInvalid(_ spec: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let user = try resolve(spec)
            Issue.record("'\(spec)' resolved to \(user)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .invalidArgument, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func byName() throws {
        let user = try resolve("alice")
        #expect(user.uid == 1000)
        #expect(user.gid == 1000)
        #expect(user.name == "alice")
        #expect(user.home == "/home/alice")
        // users(100), wheel(10), audio(29, listed twice), video(44) and video2 (also 44): once each.
        #expect(user.additionalGids == [100, 10, 29, 44])
    }

    @Test func root() throws {
        let user = try resolve("root")
        #expect(user == ResolvedUser(uid: 0, gid: 0, additionalGids: [], name: "root", home: "/root"))
    }

    @Test func byUid() throws {
        let user = try resolve("1001")
        #expect(user.uid == 1001)
        #expect(user.gid == 100)
        #expect(user.name == "bob")
        #expect(user.home == "/home/bob")
        // bob is in users (100) too, but that is his primary group: not repeated.
        #expect(user.additionalGids == [29])
    }

    @Test func uidAndGid() throws {
        let user = try resolve("1000:2000")
        #expect(user.uid == 1000)
        #expect(user.gid == 2000)
        #expect(user.name == "alice")
        // Supplementary groups still come from the member lists (the group alice has none).
        #expect(user.additionalGids == [100, 10, 29, 44])
    }

    @Test func uidAndGidOfTheUsersOwnGroupDropsIt() throws {
        let user = try resolve("alice:wheel")
        #expect(user.gid == 10)
        #expect(!user.additionalGids.contains(10))
        #expect(user.additionalGids == [100, 29, 44])
    }

    @Test func nameAndGroup() throws {
        let user = try resolve("bob:devs")
        #expect(user.uid == 1001)
        #expect(user.gid == 2000)
        #expect(user.additionalGids == [100, 29])
    }

    @Test func numericGidNotInGroupFile() throws {
        let user = try resolve("bob:4242")
        #expect(user.gid == 4242)
    }

    @Test func numericUidAbsentFromPasswd() throws {
        let user = try resolve("4321")
        #expect(user == ResolvedUser(uid: 4321, gid: 0, additionalGids: [], name: nil, home: "/"))
        let withGroup = try resolve("4321:44")
        #expect(withGroup == ResolvedUser(uid: 4321, gid: 44, additionalGids: [], name: nil, home: "/"))
    }

    @Test func emptyHomeIsSlash() throws {
        let user = try resolve("nohome")
        #expect(user.uid == 1002)
        #expect(user.home == "/")
    }

    @Test func unknownUser() {
        expectInvalid("mallory", "unknown user 'mallory'")
    }

    @Test func unknownGroup() {
        expectInvalid("alice:nogroup", "unknown group 'nogroup'")
    }

    @Test func emptyParts() {
        expectInvalid("", "the user part is empty")
        expectInvalid(":100", "the user part is empty")
        expectInvalid("alice:", "the group part is empty")
    }

    @Test func commentsAndMalformedLinesAreSkipped() {
        // "# a comment" would be a user with uid 5 if comments were read.
        expectInvalid("# a comment", "unknown user")
        expectInvalid("badid", "unknown user")
        expectInvalid("short", "unknown user")
        expectInvalid("broken line without fields", "unknown user")
        expectInvalid("alice:# staff", "unknown group")
        expectInvalid("alice:bad", "unknown group")
        expectInvalid("alice:garbage", "unknown group")
        // uid 5 (the comment's) is numeric: accepted, but without the comment's home.
        #expect((try? resolve("5"))?.home == "/")
        #expect((try? resolve("5"))?.name == nil)
    }

    @Test func parsersSkipWhatTheyCannotRead() {
        let users = UserResolver.parsePasswd(Self.passwd)
        #expect(users.map(\.name) == ["root", "daemon", "alice", "bob", "nohome"])
        let groups = UserResolver.parseGroup(Self.group)
        #expect(groups.map(\.name) == ["root", "users", "alice", "wheel", "audio", "video", "video2", "bob", "devs"])
        #expect(groups.first { $0.name == "users" }?.members == ["alice", "bob"])
        #expect(groups.first { $0.name == "root" }?.members == [])
    }

    @Test func emptyFiles() throws {
        let user = try UserResolver.resolve("0", passwd: "", group: "")
        #expect(user == ResolvedUser(uid: 0, gid: 0, home: "/"))
        do {
            _ = try UserResolver.resolve("root", passwd: "", group: "")
            Issue.record("resolved a name without a passwd file")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }
}
