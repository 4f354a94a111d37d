import RundleJSON

/// One entry of `process.rlimits`.
public struct OCIRlimit: Sendable, Hashable {
    /// "RLIMIT_NOFILE", "RLIMIT_NPROC", …
    public var type: String
    public var hard: UInt64
    public var soft: UInt64

    public init(type: String, hard: UInt64, soft: UInt64) {
        self.type = type
        self.hard = hard
        self.soft = soft
    }

    public init?(json: JSON) {
        guard let type = json["type"]?.stringValue,
              let hard = json["hard"]?.uint64Value, let soft = json["soft"]?.uint64Value
        else { return nil }
        self.init(type: type, hard: hard, soft: soft)
    }

    /// `{"type", "hard", "soft"}`.
    public var json: JSON {
        ["type": JSON(type), "hard": JSON(hard), "soft": JSON(soft)]
    }
}
