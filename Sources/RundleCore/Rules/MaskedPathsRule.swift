import RundleOCI

/// `linux.maskedPaths` and `linux.readonlyPaths`.
///
/// - Unprivileged: masked = Guardian's list plus `/proc/acpi` (`maskedPathsSet`); read-only =
///   `/proc/asound /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger`, which Guardian
///   does not set but runc's and Docker's defaults do: the container's root could otherwise write
///   host-wide knobs under /proc/sys that its user namespace does not protect.
/// - Privileged: neither (both keys removed), as in Guardian: a privileged container is trusted
///   with the host's /proc.
public struct MaskedPathsRule: BundleRule {
    public static let maskedPathsSet = [
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    ]
    public static let readonlyPathsSet = [
        "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        var bundle = bundle
        bundle.maskedPaths = spec.privileged ? [] : Self.maskedPathsSet
        bundle.readonlyPaths = spec.privileged ? [] : Self.readonlyPathsSet
        return bundle
    }
}
