import RundleJSON

/// One process of a container as `ps` and `inspect` show it.
public struct ProcessInfo: Sendable {
    /// "running", "exited" or "lost" (its keeper died before the process was seen to exit).
    public var state: String
    public var id: String
    public var pid: Int32?
    public var exitCode: Int32?
    public var args: [String]
    public var tty: Bool
    /// When the runtime could not start the process, its own message.
    public var error: String?

    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["id"] = JSON(id)
        o["state"] = JSON(state)
        if let pid { o["pid"] = JSON(Int64(pid)) }
        if let exitCode { o["exitCode"] = JSON(Int64(exitCode)) }
        o["command"] = JSON(args)
        o["tty"] = JSON(tty)
        if let error { o["error"] = JSON(error) }
        return o
    }
}
