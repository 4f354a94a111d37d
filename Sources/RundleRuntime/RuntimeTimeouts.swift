/// Deadlines for runtime calls: a runtime stuck on a D-state process or a frozen cgroup is
/// killed and reported instead of being waited on forever (Guardian's most common field failure).
public struct RuntimeTimeouts: Sendable, Hashable {
    public var run: Duration = .seconds(60)
    public var delete: Duration = .seconds(30)
    public var kill: Duration = .seconds(10)
    public var state: Duration = .seconds(10)
    /// A detached exec returns once the process is started.
    public var detachedExec: Duration = .seconds(30)

    public init() {}
}
