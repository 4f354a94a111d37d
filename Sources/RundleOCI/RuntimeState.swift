import RundleJSON

/// The output of `runc state <id>` (and crun's, which has the same shape).
public struct RuntimeState: Sendable, Hashable {
    /// "creating", "created", "running", "paused" or "stopped".
    public var status: String
    public var pid: Int32
    public var bundle: String?

    public init(status: String, pid: Int32, bundle: String?) {
        self.status = status
        self.pid = pid
        self.bundle = bundle
    }

    public init?(json: JSON) {
        guard let status = json["status"]?.stringValue else { return nil }
        self.status = status
        self.pid = Int32(truncatingIfNeeded: json["pid"]?.int64Value ?? 0)
        self.bundle = json["bundle"]?.stringValue
    }
}
