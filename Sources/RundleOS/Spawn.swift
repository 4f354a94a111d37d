import CRundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts a child with posix_spawn (glibc uses clone(CLONE_VM|CLONE_VFORK): safe in a process
/// with many threads, unlike fork()) and returns its pid. The caller must reap it
/// (`waitForChild`).
///
/// The child starts with an empty signal mask (POSIX_SPAWN_SETSIGMASK) and every signal at its
/// default disposition (POSIX_SPAWN_SETSIGDEF): Swift's worker threads block almost every
/// signal, and a child would otherwise inherit that. Its fds are exactly 0–2 and `extraFiles`
/// (as 3, 4, …); every fd >= 3 + extraFiles.count is closed (posix_spawn_file_actions_addclosefrom_np).
///
/// Throws `OSError(call: "posix_spawn", path: executable)`; a failing exec (ENOENT, EACCES…)
/// is reported here too, since glibc waits for the exec.
public func spawnProcess(_ options: SpawnOptions) throws(OSError) -> pid_t {
    var attr = posix_spawnattr_t()
    var actions = posix_spawn_file_actions_t()
    try check(posix_spawnattr_init(&attr), "posix_spawnattr_init")
    defer { posix_spawnattr_destroy(&attr) }
    try check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
    defer { posix_spawn_file_actions_destroy(&actions) }

    try check(rundle_spawnattr_set_defaults(&attr, options.newSession ? 1 : 0), "posix_spawnattr_setflags")
    try addFileActions(&actions, options)

    let argv = CStringArray([options.executable] + options.arguments)
    defer { argv.deallocate() }
    let envp = options.environment.map(CStringArray.init)
    defer { envp?.deallocate() }

    var pid: pid_t = 0
    let rc = options.executable.withCString { path in
        posix_spawn(&pid, path, &actions, &attr, argv.pointers,
                    envp?.pointers ?? UnsafeMutablePointer(mutating: rundle_environ()))
    }
    try check(rc, "posix_spawn", path: options.executable)
    return pid
}

/// posix_spawn and its helpers return an error number instead of setting errno.
private func check(_ rc: Int32, _ call: String, path: String? = nil) throws(OSError) {
    if rc != 0 { throw OSError(errno: rc, call: call, path: path) }
}

/// The child's fd layout. Every source fd is first dup'ed to a scratch number above all
/// sources and targets, and only then onto its target: a plain dup2 sequence would clobber a
/// source that is also a later target (extraFiles [4, 3]), and dup2(fd, fd) would leave
/// FD_CLOEXEC set. The scratch fds are >= 3 + extraFiles.count, so closefrom removes them.
private func addFileActions(
    _ actions: inout posix_spawn_file_actions_t, _ options: SpawnOptions
) throws(OSError) {
    var moves: [(source: Int32, target: Int32)] = []
    var nulls: [Int32] = []
    for (target, spec) in [options.stdin, options.stdout, options.stderr].enumerated() {
        switch spec {
        case .null: nulls.append(Int32(target))
        case .inherit: break
        case .fd(let fd): moves.append((fd, Int32(target)))
        }
    }
    for (index, fd) in options.extraFiles.enumerated() {
        moves.append((fd, Int32(3 + index)))
    }
    let closeFrom = Int32(3 + options.extraFiles.count)
    let scratchBase = max(closeFrom, (moves.map(\.source).max() ?? 0) + 1)

    for (index, move) in moves.enumerated() {
        try check(posix_spawn_file_actions_adddup2(&actions, move.source, scratchBase + Int32(index)),
                  "posix_spawn_file_actions_adddup2")
    }
    for (index, move) in moves.enumerated() {
        try check(posix_spawn_file_actions_adddup2(&actions, scratchBase + Int32(index), move.target),
                  "posix_spawn_file_actions_adddup2")
    }
    for target in nulls {
        try check(posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0),
                  "posix_spawn_file_actions_addopen", path: "/dev/null")
    }
    try check(rundle_spawn_file_actions_addclosefrom(&actions, closeFrom),
              "posix_spawn_file_actions_addclosefrom_np")
    if let directory = options.workingDirectory {
        try check(rundle_spawn_file_actions_addchdir(&actions, directory),
                  "posix_spawn_file_actions_addchdir_np", path: directory)
    }
}

/// A NULL-terminated argv/envp made of strdup'ed copies; `deallocate()` releases them.
struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointers[index] = strdup(string)
        }
        pointers[strings.count] = nil
    }

    func deallocate() {
        var index = 0
        while let string = pointers[index] {
            free(string)
            index += 1
        }
        pointers.deallocate()
    }
}
