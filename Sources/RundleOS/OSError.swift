#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call: the errno, the call's name, and the path it was about, if any.
///
/// `description` reads like `"mount /x: Device or resource busy"`. Callers that care about a
/// particular failure compare `errno` (`error.errno == ENOENT`).
public struct OSError: Error, Sendable, CustomStringConvertible, Equatable {
    public let errno: Int32
    public let call: String
    public let path: String?

    public init(errno: Int32, call: String, path: String? = nil) {
        self.errno = errno
        self.call = call
        self.path = path
    }

    /// The C library's text for `errno`, e.g. "No such file or directory".
    public var message: String {
        // glibc >= 2.32 returns static strings (a thread-local buffer for unknown numbers),
        // so strerror is safe from any thread here.
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }

    public var description: String {
        if let path { return "\(call) \(path): \(message)" }
        return "\(call): \(message)"
    }
}
