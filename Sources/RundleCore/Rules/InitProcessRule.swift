import RundleOCI

/// The container's init process: rundle-init, a no-op PID 1, bind-mounted read-only at
/// `context.initMountPath` by `DefaultMountsRule`.
///
/// Sets `process.args` = [initMountPath], `cwd` "/", `user` 0:0 (no additional gids; other user
/// members such as `umask` are kept), `terminal` false and `noNewPrivileges` false, and adds
/// `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` to `process.env` when it
/// has no PATH (root's PATH, as Guardian's process builder uses for uid 0). `EnvRule` runs after
/// and may override it. Processes started later with `runc exec` get their own process spec;
/// this environment is their base.
public struct InitProcessRule: BundleRule {
    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        try Self.checkInitPaths(context, handle: spec.handle)
        var process = bundle.process
        process.args = [context.initMountPath]
        process.cwd = "/"
        var user = process.user ?? OCIUser(uid: 0, gid: 0)
        user.uid = 0
        user.gid = 0
        user.additionalGids = []
        process.user = user
        process.terminal = false
        process.noNewPrivileges = false
        if !process.env.contains(where: { EnvRule.name(of: $0) == "PATH" }) {
            process.env.append(Self.defaultPath)
        }
        var bundle = bundle
        bundle.process = process
        return bundle
    }

    /// `initPath` absolute; `initMountPath` absolute, below "/", without "..".
    static func checkInitPaths(_ context: BundleContext, handle: String) throws(RundleError) {
        guard context.initPath.hasPrefix("/") else {
            throw RundleError(.invalidArgument, "init path '\(context.initPath)' must be an absolute path", handle: handle)
        }
        guard RulePaths.isContainerPath(context.initMountPath), !RulePaths.components(context.initMountPath).isEmpty else {
            throw RundleError(.invalidArgument,
                              "init mount path '\(context.initMountPath)' must be an absolute path below / without '..'",
                              handle: handle)
        }
    }
}
