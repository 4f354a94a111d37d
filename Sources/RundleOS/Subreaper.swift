import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to this process
/// instead of init, so it can reap them (and learn their exit status).
public func setChildSubreaper(_ on: Bool = true) throws(OSError) {
    try sys("prctl(PR_SET_CHILD_SUBREAPER)") { rundle_set_child_subreaper(on ? 1 : 0) }
}

/// prctl(PR_GET_CHILD_SUBREAPER).
public func isChildSubreaper() throws(OSError) -> Bool {
    try sys("prctl(PR_GET_CHILD_SUBREAPER)") { rundle_get_child_subreaper() } == 1
}

/// prctl(PR_SET_PDEATHSIG): the signal this process gets when the thread that created it
/// exits (0 clears it). Meant for a freshly started single-threaded helper.
public func setParentDeathSignal(_ signal: Int32) throws(OSError) {
    try sys("prctl(PR_SET_PDEATHSIG)") { rundle_set_parent_death_signal(signal) }
}
