/// rundle-keeper's command line:
///
/// ```
/// rundle-keeper --runtime <binary> --runtime-root <dir> --container <handle> --dir <process dir>
///               [--tty] [--detach] [--log-limit <bytes>] [--runtime-log-dir <dir>] [--runtime-timeout <seconds>]
/// ```
///
/// `--detach`: fork once at start and let the parent exit at once, so the keeper is nobody's
/// child (re-parented to init) and a long-running starter — the daemon — never collects zombie
/// keepers, which would look alive to `KeeperLiveness`.
///
/// fd contract: 0–2 /dev/null; 3 = the attach socket, bound at `<dir>/attach.sock` and
/// listening (if fd 3 is not a listening socket the keeper binds attach.sock itself).
public struct KeeperConfiguration: Sendable, Hashable {
    public var runtime: String
    public var runtimeRoot: String
    public var container: String
    public var processDir: String
    public var tty = false
    /// Fork at start; the starter reaps the short-lived parent.
    public var detach = false
    /// Per stream; 64 MiB by default.
    public var logLimit: UInt64 = 64 << 20
    /// Where the runtime's `--log` file goes (a fresh name per call, removed once read); the
    /// process directory when not given.
    public var runtimeLogDir: String?
    /// How long the runtime may take to start the process (`exec -d` to return) before it is
    /// killed and the start counts as failed.
    public var runtimeTimeout: Duration = .seconds(30)

    public init(runtime: String, runtimeRoot: String, container: String, processDir: String) {
        self.runtime = runtime
        self.runtimeRoot = runtimeRoot
        self.container = container
        self.processDir = processDir
    }

    public static let usage = """
        usage: rundle-keeper --runtime <binary> --runtime-root <dir> --container <handle> --dir <process dir>
                             [--tty] [--detach] [--log-limit <bytes>] [--runtime-log-dir <dir>]
               rundle-keeper attach <process dir> [--no-replay] [--stdin] [--tty]
        """

    /// Parses the arguments (without argv[0]); the error is a one-line message.
    ///
    /// Plain arrays and `==`, no Set or Dictionary of String: the keeper's idle memory is
    /// mostly the code it has touched, and String hashing pulls in Unicode normalisation.
    public static func parse(_ arguments: [String]) -> Result<KeeperConfiguration, KeeperUsageError> {
        let names = ["--runtime", "--runtime-root", "--container", "--dir", "--log-limit", "--runtime-log-dir",
                     "--runtime-timeout"]
        var values = [String?](repeating: nil, count: names.count)
        var tty = false
        var detach = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--tty" {
                tty = true
            } else if argument == "--detach" {
                detach = true
            } else if let slot = names.firstIndex(where: { $0 == argument }) {
                guard index + 1 < arguments.count else { return .failure(KeeperUsageError("\(argument) needs a value")) }
                guard values[slot] == nil else { return .failure(KeeperUsageError("\(argument) given twice")) }
                values[slot] = arguments[index + 1]
                index += 1
            } else {
                return .failure(KeeperUsageError("unknown argument '\(argument)'"))
            }
            index += 1
        }
        func value(_ name: String) -> String? {
            guard let slot = names.firstIndex(where: { $0 == name }), let value = values[slot], !value.isEmpty else { return nil }
            return value
        }
        guard let runtime = value("--runtime"), let root = value("--runtime-root"),
              let container = value("--container"), let dir = value("--dir")
        else {
            let missing = ["--runtime", "--runtime-root", "--container", "--dir"].filter { value($0) == nil }
            return .failure(KeeperUsageError("\(missing.joined(separator: ", ")) required"))
        }
        var config = KeeperConfiguration(runtime: runtime, runtimeRoot: root, container: container, processDir: dir)
        config.tty = tty
        config.detach = detach
        if let limit = value("--log-limit") {
            guard let bytes = UInt64(limit), bytes > 0 else {
                return .failure(KeeperUsageError("--log-limit must be a positive number of bytes, not '\(limit)'"))
            }
            config.logLimit = bytes
        }
        config.runtimeLogDir = value("--runtime-log-dir")
        if let timeout = value("--runtime-timeout") {
            guard let seconds = Int(timeout), seconds > 0 else {
                return .failure(KeeperUsageError("--runtime-timeout must be a positive number of seconds, not '\(timeout)'"))
            }
            config.runtimeTimeout = .seconds(seconds)
        }
        return .success(config)
    }
}

/// A bad rundle-keeper command line.
public struct KeeperUsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
