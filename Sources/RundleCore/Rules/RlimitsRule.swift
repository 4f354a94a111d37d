import RundleOCI

/// `process.rlimits`: each of `spec.rlimits` replaces the bundle's entry of the same type in
/// place, or is appended. The standard base brings RLIMIT_NOFILE 1024/4096 (see
/// `BaseBundle.defaultRlimits`).
///
/// An unknown type, or soft above hard, is `.invalidArgument`. A hard limit above the caller's own
/// is not checked here: runc refuses to raise one without CAP_SYS_RESOURCE (which root lacks on
/// this host, hard open-files limit 20000) and its error names the limit.
public struct RlimitsRule: BundleRule {
    /// The types runc and crun accept (linux/resource.h).
    public static let knownTypes: Set<String> = [
        "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS", "RLIMIT_MEMLOCK",
        "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_RTPRIO",
        "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
    ]

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        guard !spec.rlimits.isEmpty else { return bundle }
        var rlimits = bundle.processRlimits
        for limit in spec.rlimits {
            guard Self.knownTypes.contains(limit.type) else {
                throw RundleError(.invalidArgument, "unknown rlimit type '\(limit.type)'", handle: spec.handle)
            }
            guard limit.soft <= limit.hard else {
                throw RundleError(.invalidArgument,
                                  "\(limit.type): soft limit \(limit.soft) is above hard limit \(limit.hard)",
                                  handle: spec.handle)
            }
            let entry = OCIRlimit(type: limit.type, hard: limit.hard, soft: limit.soft)
            if let index = rlimits.firstIndex(where: { $0.type == limit.type }) {
                rlimits[index] = entry
            } else {
                rlimits.append(entry)
            }
        }
        var bundle = bundle
        bundle.processRlimits = rlimits
        return bundle
    }
}
