import ArgumentParser
import Glibc
import RundleCore
import RundleJSON

/// The CLI's one error edge: a Rundle error becomes one line on stderr (`rundle: …`, or a JSON
/// object with a stable `type` under `--json`) and an exit code scripts can trust.
enum CLIErrors {
    /// 127: the command does not exist; 126: it cannot be executed; 125: Rundle itself failed.
    static func exitCode(for error: RundleError) -> Int32 {
        switch error.code {
        case .executableNotFound: return 127
        case .notExecutable: return 126
        default: return 125
        }
    }

    static func report(_ error: RundleError, json: Bool) {
        if json {
            var o = JSON.object(JSONObject())
            o["type"] = JSON(error.code.name)
            o["message"] = JSON(error.description)
            if let handle = error.handle { o["handle"] = JSON(handle) }
            writeStderr(o.serialized() + "\n")
        } else {
            writeStderr("rundle: \(error.description.replacingNewlines())\n")
        }
    }

    /// Runs `body`; a RundleError is reported and turned into its exit code.
    static func reporting<T>(json: Bool, _ body: () throws(RundleError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            report(error, json: json)
            throw ExitCode(exitCode(for: error))
        }
    }

    /// Runs `body` for each handle, printing each handle that succeeded (podman's style) and then
    /// every failure, one line each; the exit code is 125 if anything failed.
    static func forEachHandle(_ handles: [String], json: Bool, _ body: (String) throws(RundleError) -> Void) throws {
        var failures: [RundleError] = []
        for handle in handles {
            do {
                try body(handle)
                if !json { print(handle) }
            } catch {
                failures.append(error)
            }
        }
        try reportAll(failures, json: json)
    }

    /// Reports every failure of a batch (one line each) and exits 125 if there was any.
    static func reportAll(_ failures: [RundleError], json: Bool) throws {
        guard !failures.isEmpty else { return }
        for failure in failures { report(failure, json: json) }
        throw ExitCode(failures.count == 1 ? exitCode(for: failures[0]) : 125)
    }

    static func writeStderr(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

extension String {
    func replacingNewlines() -> String {
        // isNewline, not == "\n": "\r\n" is a single Character and would slip through.
        String(map { $0.isNewline ? " " : $0 })
    }
}
