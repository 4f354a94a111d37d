import RundleOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// rundle-keeper's entry point (Sources/rundle-keeper/main.swift only calls this). Returns the
/// exit code: 0 once the process's exit is recorded and delivered (also when the runtime failed
/// to start it: that is recorded too), 2 for a setup error (usage, or the keeper could not get
/// going; an exit.json of kind runtime-failed, code 125, is still written when possible, so
/// attached clients learn what happened).
///
/// `rundle-keeper attach <process dir> [--no-replay] [--stdin] [--tty]` attaches to a running
/// keeper from a shell, like `rundle attach` (a debugging aid; exits with the process's code).
public func runKeeper(arguments: [String]) -> Int32 {
    if arguments.first == "attach" { return runAttachCommand(Array(arguments.dropFirst())) }
    let config: KeeperConfiguration
    switch KeeperConfiguration.parse(arguments) {
    case .success(let parsed): config = parsed
    case .failure(let error):
        printError("rundle-keeper: \(error)\n\(KeeperConfiguration.usage)")
        return 2
    }
    if config.detach {
        // Single-threaded here, so fork is safe. The parent's exit is all its starter waits for.
        switch fork() {
        case -1:
            printError("rundle-keeper: fork: \(String(cString: strerror(errno)))")
            return 2
        case 0: break
        default: return 0
        }
    }
    do {
        let keeper = try Keeper(config)
        try keeper.run()
        return 0
    } catch {
        printError("rundle-keeper: \(error)")
        let record = ExitRecord(exitCode: RuntimeFailure.otherCode, exitedAt: wallClockNanoseconds(),
                                error: "rundle-keeper: \(error)", kind: .runtimeFailed)
        try? record.write(processDir: config.processDir)
        _ = unlink(ProcessDirLayout(directory: config.processDir).attachSocketPath)
        return 2
    }
}

private func runAttachCommand(_ arguments: [String]) -> Int32 {
    var options = AttachOptions()
    var directory: String?
    for argument in arguments {
        switch argument {
        case "--no-replay": options.replay = false
        case "--stdin": options.stdinFD = 0
        case "--tty": options.tty = true
        default:
            if directory == nil && !argument.hasPrefix("-") { directory = argument } else {
                printError("rundle-keeper attach: unexpected argument '\(argument)'\n\(KeeperConfiguration.usage)")
                return 2
            }
        }
    }
    guard let directory else {
        printError(KeeperConfiguration.usage)
        return 2
    }
    do {
        let body = { () throws(OSError) -> AttachOutcome in try attach(processDir: directory, options: options) }
        let outcome = try (options.tty && options.stdinFD != nil ? withRawTerminal(0) { try body() } : body())
        switch outcome {
        case .exited(let code, let message):
            if let message { printError("rundle-keeper attach: \(message)") }
            return code
        case .keeperLost:
            printError("rundle-keeper attach: the keeper is gone and recorded no exit")
            return 255
        }
    } catch {
        printError("rundle-keeper attach: \(error)")
        return 125
    }
}

func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}
