import RundleJSON

/// Builds the OCI `process` object for `runtime exec` from the container's own process (so
/// capabilities, rlimits and no-new-privileges carry over) and the request.
public enum ProcessSpecBuilder {
    public static let defaultRootPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    public static let defaultUserPath = "PATH=/usr/local/bin:/usr/bin:/bin"

    /// `cwd` must already be decided (request cwd, or the home when it exists, else "/").
    public static func build(base: JSON?, request: ProcessRequest, user: ResolvedUser, cwd: String) throws(RundleError) -> JSON {
        guard let first = request.args.first, !first.isEmpty else {
            throw RundleError(.invalidArgument, "no command given")
        }
        _ = first
        for entry in request.env { try validateEnv(entry) }

        var process = base ?? JSON.object(JSONObject())
        process["args"] = JSON(request.args)
        process["cwd"] = JSON(cwd)
        process["terminal"] = JSON(request.tty)
        // Keep what the base user object carries beyond ids (umask, username).
        var userJSON = process["user"]?.objectValue.map { JSON.object($0) } ?? JSON.object(JSONObject())
        userJSON["additionalGids"] = nil
        userJSON["uid"] = JSON(Int64(user.uid))
        userJSON["gid"] = JSON(Int64(user.gid))
        if !user.additionalGids.isEmpty {
            userJSON["additionalGids"] = .array(user.additionalGids.map { JSON(Int64($0)) })
        }
        process["user"] = userJSON
        if request.tty, let rows = request.windowRows, let columns = request.windowColumns, rows > 0, columns > 0 {
            process["consoleSize"] = ["height": JSON(Int64(rows)), "width": JSON(Int64(columns))]
        } else if !request.tty {
            process["consoleSize"] = nil
        }

        if !request.rlimits.isEmpty {
            var limits = (process["rlimits"]?.arrayValue ?? []).filter { entry in
                !request.rlimits.contains { $0.type == entry["type"]?.stringValue }
            }
            for limit in request.rlimits {
                limits.append(["type": JSON(limit.type), "hard": JSON(limit.hard), "soft": JSON(limit.soft)])
            }
            process["rlimits"] = .array(limits)
        }

        var env = mergeEnv(process["env"]?.stringArrayValue ?? [], request.env)
        if !env.contains(where: { $0.hasPrefix("PATH=") }) {
            env.append(user.uid == 0 ? defaultRootPath : defaultUserPath)
        }
        if !env.contains(where: { $0.hasPrefix("USER=") }) { env.append("USER=\(user.name ?? String(user.uid))") }
        if !env.contains(where: { $0.hasPrefix("HOME=") }) { env.append("HOME=\(user.home)") }
        process["env"] = JSON(env)
        return process
    }

    /// Entries in `overrides` replace same-named ones in `base`, keeping base order; new ones append.
    public static func mergeEnv(_ base: [String], _ overrides: [String]) -> [String] {
        var out = base
        for entry in overrides {
            let key = envKey(entry)
            if let index = out.firstIndex(where: { envKey($0) == key }) {
                out[index] = entry
            } else {
                out.append(entry)
            }
        }
        return out
    }

    public static func validateEnv(_ entry: String) throws(RundleError) {
        guard let eq = entry.firstIndex(of: "="), eq != entry.startIndex else {
            throw RundleError(.invalidArgument, "invalid environment entry '\(entry)': expected KEY=VALUE")
        }
        if entry.contains("\0") { throw RundleError(.invalidArgument, "invalid environment entry: contains a NUL byte") }
    }

    static func envKey(_ entry: String) -> Substring {
        entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(entry)
    }
}
