import RundleOCI

/// `linux.resources` from `spec.limits` (cgroup v1 fields):
///
/// | spec | config.json |
/// |---|---|
/// | `memoryBytes` | `memory.limit` and `memory.swap` = the same bytes: memory+swap = memory, no swap (as Guardian) |
/// | `cpuShares` | `cpu.shares` |
/// | `cpuQuota` | `cpu.quota`, with `cpu.period` = `cpuPeriod` or 100000 |
/// | `cpuPeriod` alone | `cpu.period` |
/// | `pids` | `pids.limit` |
///
/// The rule owns these six fields: an unset limit is absent (removed if the base had it), and
/// `linux.resources.devices` and any other member are left alone. A limit of 0 counts as unset,
/// as in Garden (runc ignores 0 for all of them anyway). Negative values are `.invalidArgument`.
/// Minimums (runc and the kernel refuse a memory limit below the current usage, a quota below
/// 1000 µs) are left to the runtime, whose error then names the cgroup file.
public struct LimitsRule: BundleRule {
    public static let defaultCPUPeriod: UInt64 = 100_000

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        let limits = spec.limits
        let memory = try Self.positive(limits.memoryBytes, "memory limit", handle: spec.handle)
        let quota = try Self.positive(limits.cpuQuota, "cpu quota", handle: spec.handle)
        let pids = try Self.positive(limits.pids, "pids limit", handle: spec.handle)
        let shares = limits.cpuShares == 0 ? nil : limits.cpuShares
        var period = limits.cpuPeriod == 0 ? nil : limits.cpuPeriod
        if quota != nil, period == nil { period = Self.defaultCPUPeriod }

        var bundle = bundle
        bundle.memoryLimit = memory
        bundle.memorySwap = memory
        bundle.cpuShares = shares
        bundle.cpuQuota = quota
        bundle.cpuPeriod = period
        bundle.pidsLimit = pids
        return bundle
    }

    /// `nil` for nil or 0; the value if positive; `.invalidArgument` if negative.
    static func positive(_ value: Int64?, _ what: String, handle: String) throws(RundleError) -> Int64? {
        guard let value, value != 0 else { return nil }
        guard value > 0 else {
            throw RundleError(.invalidArgument, "\(what) must not be negative (got \(value))", handle: handle)
        }
        return value
    }
}
