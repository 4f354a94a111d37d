import RundleJSON

/// What `container.json` holds: the desired spec, the container's status, and what a later
/// command (or `rundle gc`) needs to manage or clean it without guessing.
public struct ContainerRecord: Sendable {
    /// The container's lifecycle as the depot records it.
    public enum Status: String, Sendable {
        /// A create is in progress or was interrupted; cleaned by the next command that holds the lock.
        case creating
        /// Committed: the init was started.
        case created
        /// Stopped by `rundle stop`; the init stays.
        case stopped
    }

    public static let formatVersion: Int64 = 1

    public var handle: String
    public var status: Status
    public var spec: ContainerSpec
    /// The runtime binary and root this container was created with; later commands use these.
    public var runtime: String
    public var runtimeRoot: String
    /// Unix time in nanoseconds.
    public var createdAtNanos: Int64
    public var initPid: Int32?
    /// The init's start time in clock ticks since boot, so a reused pid is never mistaken for it.
    public var initStartTime: UInt64?
    /// Mount points this container owns, in the order they were made (unmounted in reverse).
    public var mounts: [String]

    public init(handle: String, status: Status, spec: ContainerSpec, runtime: String, runtimeRoot: String,
                createdAtNanos: Int64, initPid: Int32? = nil, initStartTime: UInt64? = nil, mounts: [String] = []) {
        self.handle = handle
        self.status = status
        self.spec = spec
        self.runtime = runtime
        self.runtimeRoot = runtimeRoot
        self.createdAtNanos = createdAtNanos
        self.initPid = initPid
        self.initStartTime = initStartTime
        self.mounts = mounts
    }
}

extension ContainerRecord {
    public func json() -> JSON {
        var o = JSON.object(JSONObject())
        o["version"] = JSON(Self.formatVersion)
        o["handle"] = JSON(handle)
        o["status"] = JSON(status.rawValue)
        o["spec"] = spec.json()
        o["runtime"] = JSON(runtime)
        o["runtimeRoot"] = JSON(runtimeRoot)
        o["createdAt"] = JSON(createdAtNanos)
        if let initPid { o["initPid"] = JSON(Int64(initPid)) }
        if let initStartTime { o["initStartTime"] = JSON(initStartTime) }
        o["mounts"] = JSON(mounts)
        return o
    }

    public func jsonBytes() -> [UInt8] { json().serializedBytes(pretty: true) }

    public init(bytes: [UInt8]) throws(RundleError) {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw RundleError(.internal, error.description)
        }
        guard let handle = json["handle"]?.stringValue,
              let statusText = json["status"]?.stringValue, let status = Status(rawValue: statusText),
              let specJSON = json["spec"]
        else { throw RundleError(.internal, "missing handle, status or spec") }
        self.handle = handle
        self.status = status
        self.spec = try ContainerSpec(json: specJSON)
        self.runtime = json["runtime"]?.stringValue ?? "runc"
        self.runtimeRoot = json["runtimeRoot"]?.stringValue ?? ""
        self.createdAtNanos = json["createdAt"]?.int64Value ?? 0
        self.initPid = json["initPid"]?.int64Value.map { Int32(truncatingIfNeeded: $0) }
        self.initStartTime = json["initStartTime"]?.uint64Value
        self.mounts = json["mounts"]?.stringArrayValue ?? []
    }
}
