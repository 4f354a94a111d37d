import RundleOCI

/// `process.env` = the bundle's environment with the spec's entries merged in: an entry whose
/// name is already there replaces it in place, a new name goes at the end, in the spec's order
/// (a name given twice in the spec: the last value wins, at the first one's place). Guardian just
/// appends, leaving two PATHs for libc to choose between; replacing leaves one.
///
/// An entry without "=", with an empty name, or with a NUL byte is `.invalidArgument`.
public struct EnvRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        var bundle = bundle
        bundle.processEnv = try Self.merge(bundle.processEnv, spec.env, handle: spec.handle)
        return bundle
    }

    /// `base` with `overrides` merged in, as described on the type.
    public static func merge(_ base: [String], _ overrides: [String], handle: String? = nil) throws(RundleError) -> [String] {
        var result = base
        var indexByName: [Substring: Int] = [:]
        for (index, entry) in result.enumerated() {
            let name = Self.name(of: entry)
            if indexByName[name] == nil { indexByName[name] = index }
        }
        for entry in overrides {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex, !entry.contains("\0") else {
                throw RundleError(.invalidArgument, "invalid environment entry '\(entry)': expected KEY=VALUE with a non-empty KEY",
                                  handle: handle)
            }
            let name = entry[..<equals]
            if let index = indexByName[name] {
                result[index] = entry
            } else {
                indexByName[name] = result.count
                result.append(entry)
            }
        }
        return result
    }

    /// The name of "NAME=value" (the whole entry if it has no "=").
    static func name(of entry: String) -> Substring {
        entry.firstIndex(of: "=").map { entry[..<$0] } ?? entry[...]
    }
}
