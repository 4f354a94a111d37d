import ArgumentParser
import Glibc
import RundleCore

/// Flags every command takes; each also reads an environment variable, as runc's users expect.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Depot directory (env RUNDLE_DEPOT).", valueName: "dir"))
    var depot: String?

    @Option(name: .long, help: ArgumentHelp("OCI runtime binary: runc or crun (env RUNDLE_RUNTIME).", valueName: "name|path"))
    var runtime: String?

    @Option(name: .customLong("runtime-root"), help: ArgumentHelp("The runtime's --root (env RUNDLE_RUNTIME_ROOT; default /run/rundle/<runtime>).", valueName: "dir"))
    var runtimeRoot: String?

    @Option(name: .customLong("init-path"), help: ArgumentHelp("The static no-op init (env RUNDLE_INIT; default: rundle-init beside rundle).", valueName: "path"))
    var initPath: String?

    @Option(name: .customLong("cgroup-parent"), help: ArgumentHelp("cgroup parent of new containers (default rundle).", valueName: "path"))
    var cgroupParent: String?

    @Option(name: .customLong("runtime-timeout"), help: ArgumentHelp("Seconds a runtime call (create, delete, kill, state) may take before it is killed (default 60 for create, 30 for delete).", valueName: "seconds"))
    var runtimeTimeout: Double?

    public init() {}

    public func validate() throws {
        if let runtimeTimeout, !(runtimeTimeout > 0 && runtimeTimeout < 86_400) {
            throw ValidationError("--runtime-timeout must be a number of seconds above 0 and below 86400")
        }
    }

    func config() -> ContainerizerConfig {
        var config = ContainerizerConfig(
            initPath: initPath ?? environment("RUNDLE_INIT") ?? Self.besideExecutable("rundle-init"),
            keeperPath: environment("RUNDLE_KEEPER") ?? Self.besideExecutable("rundle-keeper"))
        config.depot = absolute(depot ?? environment("RUNDLE_DEPOT") ?? ContainerizerConfig.defaultDepot)
        config.runtime = runtime ?? environment("RUNDLE_RUNTIME") ?? "runc"
        config.runtimeRoot = (runtimeRoot ?? environment("RUNDLE_RUNTIME_ROOT")).map(absolute)
        if let cgroupParent { config.cgroupParent = cgroupParent }
        if let runtimeTimeout, runtimeTimeout > 0 {
            let limit = Duration.milliseconds(Int64(runtimeTimeout * 1000))
            config.timeouts.run = limit
            config.timeouts.delete = limit
            config.timeouts.kill = limit
            config.timeouts.state = limit
            config.timeouts.detachedExec = limit
        }
        return config
    }

    func containerizer() -> Containerizer { Containerizer(config: config()) }

    /// `name` next to the running binary, else in the install locations.
    static func besideExecutable(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let slash = exe.lastIndex(of: "/") {
                let candidate = String(exe[..<slash]) + "/" + name
                if access(candidate, X_OK) == 0 { return candidate }
            }
        }
        for dir in ["/usr/local/libexec/rundle", "/usr/libexec/rundle"] where access(dir + "/" + name, X_OK) == 0 {
            return dir + "/" + name
        }
        return "/usr/local/libexec/rundle/" + name
    }
}

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let s = String(cString: value)
    return s.isEmpty ? nil : s
}

/// A path made absolute against the working directory.
func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    return trimmed.isEmpty || trimmed == "." ? cwd : (cwd == "/" ? "/" + trimmed : cwd + "/" + trimmed)
}
