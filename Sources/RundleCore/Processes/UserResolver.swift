/// Resolves `NAME`, `UID`, `NAME:GROUP` or `UID:GID` against a container's own /etc/passwd and
/// /etc/group text (the caller reads them inside the container's root), as runc and Garden do.
public enum UserResolver {
    public static func resolve(_ spec: String, passwd: String, group: String) throws(RundleError) -> ResolvedUser {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts[0]
        let groupPart = parts.count > 1 ? parts[1] : nil
        if userPart.isEmpty { throw RundleError(.invalidArgument, "invalid user '\(spec)': the user part is empty") }

        let users = parsePasswd(passwd)
        let groups = parseGroup(group)

        var user: ResolvedUser
        if let entry = users.first(where: { $0.name == userPart }) {
            user = ResolvedUser(uid: entry.uid, gid: entry.gid, name: entry.name, home: entry.home)
        } else if let uid = UInt32(userPart) {
            if let entry = users.first(where: { $0.uid == uid }) {
                user = ResolvedUser(uid: uid, gid: entry.gid, name: entry.name, home: entry.home)
            } else {
                // A numeric uid need not exist in passwd (runc and docker accept it): gid 0, home "/".
                user = ResolvedUser(uid: uid, gid: 0, name: nil, home: "/")
            }
        } else {
            throw RundleError(.invalidArgument, "unknown user '\(userPart)': unable to find user \(userPart): no matching entries in passwd file")
        }

        if let groupPart {
            if groupPart.isEmpty { throw RundleError(.invalidArgument, "invalid user '\(spec)': the group part is empty") }
            if let entry = groups.first(where: { $0.name == groupPart }) {
                user.gid = entry.gid
            } else if let gid = UInt32(groupPart) {
                user.gid = gid
            } else {
                throw RundleError(.invalidArgument, "unknown group '\(groupPart)': no such group in the container's /etc/group")
            }
        }

        if let name = user.name {
            var extra: [UInt32] = []
            for entry in groups where entry.members.contains(name) && entry.gid != user.gid && !extra.contains(entry.gid) {
                extra.append(entry.gid)
            }
            user.additionalGids = extra
        }
        return user
    }

    struct PasswdEntry { var name: String; var uid: UInt32; var gid: UInt32; var home: String }
    struct GroupEntry { var name: String; var gid: UInt32; var members: [String] }

    /// Lines of `name:password:uid:gid:gecos:home:shell`; malformed lines are skipped, as libc does.
    static func parsePasswd(_ text: String) -> [PasswdEntry] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ":", omittingEmptySubsequences: false)
            guard f.count >= 4, !f[0].isEmpty, !f[0].hasPrefix("#"),
                  let uid = UInt32(f[2]), let gid = UInt32(f[3]) else { return nil }
            let home = f.count >= 6 && !f[5].isEmpty ? String(f[5]) : "/"
            return PasswdEntry(name: String(f[0]), uid: uid, gid: gid, home: home)
        }
    }

    /// Lines of `name:password:gid:member,member`.
    static func parseGroup(_ text: String) -> [GroupEntry] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ":", omittingEmptySubsequences: false)
            guard f.count >= 3, !f[0].isEmpty, !f[0].hasPrefix("#"), let gid = UInt32(f[2]) else { return nil }
            let members = f.count >= 4 ? f[3].split(separator: ",").map { String($0) } : []
            return GroupEntry(name: String(f[0]), gid: gid, members: members)
        }
    }
}
