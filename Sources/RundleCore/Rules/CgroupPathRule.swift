import RundleOCI

/// `linux.cgroupsPath` = `<context.cgroupParent>/<handle>`, for privileged and unprivileged
/// containers alike.
///
/// The path is relative on purpose: on cgroup v1 runc then places the container under the
/// caller's own cgroup in each hierarchy. On this host the caller's memory cgroup is nested
/// (`/process_api/<id>`), and an absolute path would take containers out of the limits and
/// accounting of whoever runs Rundle. Guardian leaves privileged containers without a path (a
/// sibling of `garden`, so they may loosen device rules); every Rundle container gets the same
/// device rules, so all can live under one parent.
///
/// The parent must be a relative path whose components are neither empty, "." nor ".."; the handle
/// must be one such component. Otherwise `.invalidArgument`.
public struct CgroupPathRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        let parent = context.cgroupParent
        let parts = parent.split(separator: "/", omittingEmptySubsequences: false)
        guard !parent.isEmpty, !parent.hasPrefix("/"), parts.allSatisfy(Self.isComponent) else {
            throw RundleError(.invalidArgument,
                              "cgroup parent '\(parent)' must be a relative path without empty, '.' or '..' components",
                              handle: spec.handle)
        }
        guard Self.isComponent(spec.handle[...]), !spec.handle.contains("/") else {
            throw RundleError(.invalidArgument, "handle '\(spec.handle)' cannot name a cgroup", handle: spec.handle)
        }
        var bundle = bundle
        bundle.cgroupsPath = parent + "/" + spec.handle
        return bundle
    }

    private static func isComponent(_ part: Substring) -> Bool {
        !part.isEmpty && part != "." && part != ".."
    }
}
