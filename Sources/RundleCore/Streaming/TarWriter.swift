import RundleOS

/// Writes a tar stream: ustar headers, pax 'x' headers for names and link names over 100
/// bytes and for sizes, ids and times ustar cannot hold.
public final class TarWriter {
    public typealias Sink = (UnsafeRawBufferPointer) throws(RundleError) -> Void

    private let sink: Sink
    private var remaining: Int64 = 0
    private var padding = 0

    public init(_ sink: @escaping Sink) { self.sink = sink }

    private func emit(_ bytes: [UInt8]) throws(RundleError) {
        var failure: RundleError?
        bytes.withUnsafeBytes { raw in
            do throws(RundleError) { try sink(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Starts a member; regular files must be followed by exactly `entry.size` bytes of `writeData`.
    public func begin(_ entry: TarEntry) throws(RundleError) {
        precondition(remaining == 0, "the previous member's data is incomplete")
        guard entry.name.utf8.count <= TarFormat.maxNameLength, entry.linkName.utf8.count <= TarFormat.maxNameLength else {
            throw RundleError(.invalidArgument, "name over \(TarFormat.maxNameLength) bytes: \(entry.name.prefix(80))…")
        }
        var entry = entry
        if entry.kind != .regular { entry.size = 0 }
        try emit(TarFormat.encode(entry))
        remaining = entry.size
        padding = TarFormat.padding(entry.size)
        if remaining == 0 { try finishMember() }
    }

    public func writeData(_ buffer: UnsafeRawBufferPointer) throws(RundleError) {
        guard buffer.count > 0 else { return }
        precondition(Int64(buffer.count) <= remaining, "more data than the member's size")
        try sink(buffer)
        remaining -= Int64(buffer.count)
        if remaining == 0 { try finishMember() }
    }

    public func writeData(_ bytes: [UInt8]) throws(RundleError) {
        var failure: RundleError?
        bytes.withUnsafeBytes { raw in
            do throws(RundleError) { try writeData(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func finishMember() throws(RundleError) {
        if padding > 0 { try emit([UInt8](repeating: 0, count: padding)) }
        padding = 0
    }

    /// The end-of-archive marker: two zero blocks.
    public func finish() throws(RundleError) {
        precondition(remaining == 0, "the last member's data is incomplete")
        try emit([UInt8](repeating: 0, count: 2 * TarFormat.blockSize))
    }

    /// A whole member with its data in memory.
    public func add(_ entry: TarEntry, data: [UInt8] = []) throws(RundleError) {
        var entry = entry
        if entry.kind == .regular { entry.size = Int64(data.count) }
        try begin(entry)
        if entry.kind == .regular { try writeData(data) }
    }

    /// Writes to a file descriptor.
    public convenience init(fd: Int32) {
        self.init { (buffer) throws(RundleError) in
            do { try writeFully(fd, buffer) } catch {
                throw RundleError(.unavailable, "cannot write the tar stream", cause: error)
            }
        }
    }
}

/// Member names as paths below the destination, and the check that keeps them there.
public enum TarPath {
    /// The components of member `name` below the extraction directory: a leading "/" is
    /// dropped (as tar does), "" and "." vanish, ".." climbs. A name that climbs above the
    /// directory is refused.
    public static func components(_ name: String) throws(RundleError) -> [String] {
        var out: [String] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !out.isEmpty else {
                    throw RundleError(.invalidArgument, "refusing the archive: member '\(name)' leads outside the destination directory")
                }
                out.removeLast()
                continue
            }
            out.append(String(part))
        }
        return out
    }

    /// A hard link's target as components below the destination; absolute targets are refused
    /// (a hard link may only join two members of the same extraction).
    public static func hardLinkTarget(_ target: String, member: String) throws(RundleError) -> [String] {
        guard !target.hasPrefix("/") else {
            throw RundleError(.invalidArgument, "refusing the archive: hard link '\(member)' points to absolute path '\(target)'")
        }
        let parts: [String]
        do { parts = try components(target) } catch {
            throw RundleError(.invalidArgument, "refusing the archive: hard link '\(member)' points outside the destination directory ('\(target)')")
        }
        guard !parts.isEmpty else {
            throw RundleError(.invalidArgument, "refusing the archive: hard link '\(member)' points to the destination directory itself")
        }
        return parts
    }
}
