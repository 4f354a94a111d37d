import RundleOCI

/// Appends one bind mount per `spec.bindMounts` entry, after whatever mounts the bundle has (so a
/// user mount lands on top of a default one at the same place):
///
/// `{"destination": d, "type": "bind", "source": s, "options": ["rbind", "ro", "rro", <locked flags>]}`
/// (read-write: `["rbind", "rw", <locked flags>]`).
///
/// - `rbind`, where Guardian uses `bind`: in a user namespace the kernel refuses (EINVAL) a
///   non-recursive bind of a directory that has mounts below it, since that would uncover what
///   they hide; runc 1.1.5 fails so here. A recursive bind carries the submounts along.
/// - `rro` with `ro`: `ro` alone remounts only the top mount read-only and leaves submounts
///   writable; `rro` (runc ≥ 1.1 and crun, through mount_setattr on kernels ≥ 5.12) makes the
///   whole tree read-only. Both checked with runc 1.1.5 here.
/// - The locked flags of the source's own mount (`context.sourceMountOptions`: nosuid, nodev,
///   noexec, atime flags), as Guardian does: in a user namespace a read-only remount that would
///   clear one fails with EPERM.
///
/// Bad input is `.invalidArgument`: a source that is not absolute or does not exist
/// (`context.pathExists`), a destination that is not absolute, contains "..", or is "/".
public struct BindMountsRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        guard !spec.bindMounts.isEmpty else { return bundle }
        var mounts = bundle.mounts
        for bind in spec.bindMounts {
            try Self.check(bind, handle: spec.handle, context: context)
            mounts.append(OCIMount(destination: bind.destination, type: "bind", source: bind.source,
                                   options: Self.options(readOnly: bind.readOnly, locked: context.sourceMountOptions(bind.source))))
        }
        var bundle = bundle
        bundle.mounts = mounts
        return bundle
    }

    /// The options of a bind mount: "rbind", then "ro", "rro" or "rw", then each locked flag once.
    public static func options(readOnly: Bool, locked: [String]) -> [String] {
        merge(readOnly ? ["rbind", "ro", "rro"] : ["rbind", "rw"], locked)
    }

    /// `options` followed by each flag of `locked` not already there; bind and read-only/read-write
    /// words in `locked` are ignored (the mount's own choice stands).
    static func merge(_ options: [String], _ locked: [String]) -> [String] {
        var options = options
        let ignored: Set<String> = ["bind", "rbind", "ro", "rw", "rro", "rrw"]
        for flag in locked where !ignored.contains(flag) && !options.contains(flag) {
            options.append(flag)
        }
        return options
    }

    static func check(_ bind: BindMount, handle: String, context: BundleContext) throws(RundleError) {
        guard bind.source.hasPrefix("/") else {
            throw RundleError(.invalidArgument, "bind mount source '\(bind.source)' must be an absolute path", handle: handle)
        }
        guard RulePaths.isContainerPath(bind.destination), !RulePaths.components(bind.destination).isEmpty else {
            throw RundleError(.invalidArgument,
                              "bind mount destination '\(bind.destination)' must be an absolute path below / without '..'",
                              handle: handle)
        }
        guard context.pathExists(bind.source) else {
            throw RundleError(.invalidArgument, "bind mount source '\(bind.source)' does not exist", handle: handle)
        }
    }
}
