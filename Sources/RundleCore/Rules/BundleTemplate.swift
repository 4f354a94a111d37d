import RundleOCI

/// Bundle generation as in Guardian's `rundmc/bundler.go`: start from the base bundle for the
/// spec's kind and fold the rules over it in order; the first error aborts.
public struct BundleTemplate: Sendable {
    public var base: BaseBundle
    public var rules: [any BundleRule]

    public init(base: BaseBundle = .standard, rules: [any BundleRule]) {
        self.base = base
        self.rules = rules
    }

    /// The standard rules, in order. Each decides from the spec and the context; a rule reads the
    /// bundle only to merge into a list it shares, so the order matters just there: default mounts
    /// before the user's bind mounts (a later mount lands on top of an earlier one), the init
    /// process's default PATH before the user's environment (which may override it).
    public static let standardRules: [any BundleRule] = [
        RootfsRule(),
        NamespacesRule(),
        CgroupPathRule(),
        DefaultMountsRule(),
        BindMountsRule(),
        InitProcessRule(),
        EnvRule(),
        RlimitsRule(),
        CapabilitiesRule(),
        MaskedPathsRule(),
        HostnameRule(),
        LimitsRule(),
    ]

    /// The standard base bundles with the standard rules.
    public static func standard() -> BundleTemplate {
        BundleTemplate(base: .standard, rules: standardRules)
    }

    /// The bundle for `spec` on this host; nothing is written anywhere.
    public func generate(spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        var bundle = base.bundle(privileged: spec.privileged)
        for rule in rules {
            bundle = try rule.apply(bundle, spec: spec, context: context)
        }
        return bundle
    }
}
