import RundleOCI

/// One concern of bundle generation (Guardian's `BundlerRule`): a pure function from a bundle,
/// the desired spec and the host context to a new bundle. A rule sets only the fields it owns,
/// leaves every other field as it found it, and rejects bad input with a `RundleError`
/// (`.invalidArgument` for what the user asked for) before anything touches the disk.
public protocol BundleRule: Sendable {
    func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle
}
