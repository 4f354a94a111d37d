/// A resource limit for the container's processes (`setrlimit`).
public struct Rlimit: Sendable, Hashable {
    /// "RLIMIT_NOFILE", "RLIMIT_NPROC", … (see `RlimitsRule.knownTypes`).
    public var type: String
    public var soft: UInt64
    public var hard: UInt64

    public init(type: String, soft: UInt64, hard: UInt64) {
        self.type = type
        self.soft = soft
        self.hard = hard
    }
}
