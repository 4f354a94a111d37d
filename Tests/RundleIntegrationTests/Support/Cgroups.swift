import Foundation

/// Finds a process's cgroups from /proc/<pid>/cgroup (this host nests the memory hierarchy
/// below its own cgroup, so paths are never assumed).
enum Cgroups {
    /// The cgroup v1 directory of `pid` for `controller` (e.g. "memory", "pids").
    static func path(pid: Int32, controller: String) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[1].split(separator: ",").contains(Substring(controller)) {
                let dir = "/sys/fs/cgroup/\(parts[1])\(parts[2])"
                if FileManager.default.fileExists(atPath: dir) { return dir }
            }
        }
        return nil
    }

    static func read(pid: Int32, controller: String, file: String) -> String? {
        guard let dir = path(pid: pid, controller: controller) else { return nil }
        return (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the test's cgroup parent (empty by now) in every v1 hierarchy, wherever our own
    /// cgroup nests it.
    static func removeParent(_ name: String) {
        guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let hierarchy = parts[1].isEmpty ? "unified" : String(parts[1]).replacingOccurrences(of: "name=", with: "")
            for base in ["/sys/fs/cgroup/\(hierarchy)\(parts[2])", "/sys/fs/cgroup/\(hierarchy)"] {
                let dir = (base.hasSuffix("/") ? base : base + "/") + name
                if FileManager.default.fileExists(atPath: dir) { rmdir(dir) }
            }
        }
    }
}
