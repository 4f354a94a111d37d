import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An fd (O_CLOEXEC) to a new user namespace with the given maps, for MOUNT_ATTR_IDMAP or
/// setns. The caller closes it. Needs privilege over the host ids (root).
///
/// It comes from a short-lived child made by a raw clone(CLONE_NEWUSER) in C (see
/// `rundle_userns_create`), not fork(), so it is safe in a process with many threads.
public func makeUserNamespace(uidMaps: [IDMap], gidMaps: [IDMap]) throws(OSError) -> Int32 {
    let uidMap = IDMap.procFormat(uidMaps)
    let gidMap = IDMap.procFormat(gidMaps)
    var failedCall: UnsafePointer<CChar>? = nil
    let fd = uidMap.withCString { uid in
        gidMap.withCString { gid in
            rundle_userns_create(uid, uidMap.utf8.count, gid, gidMap.utf8.count, &failedCall)
        }
    }
    if fd < 0 {
        let error = errno
        let call = failedCall.map { String(cString: $0) } ?? "userns"
        throw OSError(errno: error, call: call, path: nil)
    }
    return fd
}
