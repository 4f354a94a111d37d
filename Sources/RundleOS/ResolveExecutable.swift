#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The path to run for `name`: `name` itself when it contains a '/' and is an executable
/// regular file, else the first executable regular file `<dir>/<name>` for `dir` in $PATH
/// (a default PATH when unset; an empty entry means the current directory). Nil when none.
public func resolveExecutable(_ name: String) -> String? {
    guard !name.isEmpty else { return nil }
    if name.contains("/") {
        return isExecutableFile(name) ? name : nil
    }
    let searchPath = getenv("PATH").map { String(cString: $0) }
        ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
        let candidate = directory.isEmpty ? "./\(name)" : "\(directory)/\(name)"
        if isExecutableFile(candidate) { return candidate }
    }
    return nil
}

private func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
    return access(path, X_OK) == 0
}
