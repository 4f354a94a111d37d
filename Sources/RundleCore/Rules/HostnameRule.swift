import RundleOCI

/// `hostname` = the handle, cut to its last 63 bytes when longer.
///
/// 63 is the longest DNS label and fits the kernel's 64-byte UTS name. Guardian keeps the last 49
/// characters; its code records no reason, and nothing in Rundle needs the room below 63. The
/// *last* bytes are kept, as in Guardian, because generated handles differ at their end. The cut
/// never splits a multi-byte character.
public struct HostnameRule: BundleRule {
    public static let maxLength = 63

    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        var bundle = bundle
        bundle.hostname = Self.hostname(for: spec.handle)
        return bundle
    }

    /// The last characters of `handle` that fit in `maxLength` UTF-8 bytes.
    public static func hostname(for handle: String) -> String {
        guard handle.utf8.count > maxLength else { return handle }
        var start = handle.endIndex
        var bytes = 0
        while start > handle.startIndex {
            let previous = handle.index(before: start)
            let size = handle[previous].utf8.count
            if bytes + size > maxLength { break }
            bytes += size
            start = previous
        }
        return String(handle[start...])
    }
}
