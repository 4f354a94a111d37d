import RundleOCI

/// `root.path` = the container's own rootfs mount (the overlay's merged directory, not the shared
/// base rootfs in `spec.rootfs`), and `root.readonly` = false: the container writes into its
/// overlay's upper directory.
///
/// Guardian copies `root.path` from the image plugin's base config; here the Containerizer mounts
/// the overlay and passes its path in the context.
public struct RootfsRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        guard context.rootfsMountPath.hasPrefix("/") else {
            throw RundleError(.invalidArgument, "rootfs mount path '\(context.rootfsMountPath)' must be an absolute path",
                              handle: spec.handle)
        }
        var bundle = bundle
        bundle.rootPath = context.rootfsMountPath
        bundle.rootReadonly = false
        return bundle
    }
}
