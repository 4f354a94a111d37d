import RundleOCI

/// The user namespace and its id mappings; the other namespaces come from the base bundle and
/// are left as they are.
///
/// - Privileged: no `user` namespace, no `uidMappings`/`gidMappings`.
/// - Unprivileged: a `user` namespace, and `uidMappings` = `gidMappings` = `context.idMap`
///   (default: container 0 ..< 65536 → host 100000 ..< 165536).
///
/// Guardian maps only root, to the highest host uid, and maps every other id k to host k (so a
/// container's uid 1000 *is* host uid 1000). Rundle maps one whole unprivileged range instead:
/// no container id is a real host user, and the shared base rootfs, seen through an idmapped
/// mount with the same mapping as its overlay's lower layer, shows its files owned by the
/// container's own root and users rather than by nobody.
///
/// The map must be usable: non-empty, every size > 0, no range past 2^32, no two ranges
/// overlapping (on either side, as the kernel requires), and container id 0 mapped — the init runs
/// as root. Otherwise `.invalidArgument`.
public struct NamespacesRule: BundleRule {
    public init() {}

    public func apply(_ bundle: Bundle, spec: ContainerSpec, context: BundleContext) throws(RundleError) -> Bundle {
        var bundle = bundle
        if spec.privileged {
            bundle.removeNamespace("user")
            bundle.uidMappings = []
            bundle.gidMappings = []
            return bundle
        }
        try Self.validate(context.idMap, handle: spec.handle)
        if !bundle.hasNamespace("user") {
            bundle.setNamespace(OCINamespace(type: "user"))
        }
        bundle.uidMappings = context.idMap
        bundle.gidMappings = context.idMap
        return bundle
    }

    static func validate(_ map: [IDMapping], handle: String) throws(RundleError) {
        func fail(_ why: String) -> RundleError {
            RundleError(.invalidArgument, "invalid id map for an unprivileged container: \(why)", handle: handle)
        }
        guard !map.isEmpty else { throw fail("it is empty") }
        let limit = UInt64(UInt32.max) + 1
        for m in map {
            guard m.size > 0 else { throw fail("a mapping has size 0") }
            guard UInt64(m.containerID) + UInt64(m.size) <= limit, UInt64(m.hostID) + UInt64(m.size) <= limit else {
                throw fail("mapping \(m.containerID) -> \(m.hostID) size \(m.size) runs past 2^32")
            }
        }
        for (i, a) in map.enumerated() {
            for b in map[(i + 1)...] {
                if overlaps(a.containerID, b.containerID, a.size, b.size) || overlaps(a.hostID, b.hostID, a.size, b.size) {
                    throw fail("mappings \(a.containerID) -> \(a.hostID) and \(b.containerID) -> \(b.hostID) overlap")
                }
            }
        }
        guard map.contains(where: { $0.mapsContainerID(0) }) else { throw fail("container root (id 0) is not mapped") }
    }

    private static func overlaps(_ a: UInt32, _ b: UInt32, _ sizeA: UInt32, _ sizeB: UInt32) -> Bool {
        UInt64(a) < UInt64(b) + UInt64(sizeB) && UInt64(b) < UInt64(a) + UInt64(sizeA)
    }
}
