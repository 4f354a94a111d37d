import RundleOS

/// A strict, streaming tar reader: ustar and v7 headers, GNU long names ('L', 'K') and pax
/// extended headers ('x': path, linkpath, size, uid, gid, mtime; 'g' is read and ignored).
/// Checksums are verified; a truncated archive, a bad number, a negative or overflowing size or
/// a name longer than 4096 bytes is an `.invalidArgument` error. Sparse files, multi-volume and
/// other GNU extensions are refused.
public final class TarReader {
    public typealias Source = (UnsafeMutableRawBufferPointer) throws(RundleError) -> Int

    private let source: Source
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// Data bytes of the current member not yet read, and the padding that follows them.
    private var remaining: Int64 = 0
    private var pendingPadding = 0
    private var finished = false

    public init(_ source: @escaping Source) { self.source = source }

    /// Reads from a file descriptor.
    public convenience init(fd: Int32) {
        self.init { (buffer) throws(RundleError) -> Int in
            do { return try readSome(fd, buffer) } catch {
                throw RundleError(.unavailable, "cannot read the tar stream", cause: error)
            }
        }
    }

    /// Reads from bytes in memory.
    public convenience init(bytes: [UInt8]) {
        var offset = 0
        self.init { (buffer) throws(RundleError) -> Int in
            let n = min(buffer.count, bytes.count - offset)
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    /// Up to `count` bytes; fewer only at end of input.
    private func readBytes(_ count: Int) throws(RundleError) -> [UInt8] {
        while buffer.count - bufferStart < count {
            if bufferStart > 0 { buffer.removeFirst(bufferStart); bufferStart = 0 }
            var chunk = [UInt8](repeating: 0, count: max(64 << 10, count))
            var failure: RundleError?
            let n = chunk.withUnsafeMutableBytes { raw -> Int in
                do throws(RundleError) { return try source(raw) } catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            if n == 0 { break }
            buffer += chunk[0..<n]
        }
        let n = min(count, buffer.count - bufferStart)
        let out = Array(buffer[bufferStart..<(bufferStart + n)])
        bufferStart += n
        return out
    }

    private func readExactly(_ count: Int, what: String) throws(RundleError) -> [UInt8] {
        let bytes = try readBytes(count)
        guard bytes.count == count else { throw RundleError(.invalidArgument, "truncated tar archive: it ends inside \(what)") }
        return bytes
    }

    private func skip(_ count: Int64, what: String) throws(RundleError) {
        var left = count
        while left > 0 {
            let n = Int(min(left, 1 << 20))
            _ = try readExactly(n, what: what)
            left -= Int64(n)
        }
    }

    /// Reads the current member's data into `into`; 0 when all of it has been read.
    public func read(into: UnsafeMutableRawBufferPointer) throws(RundleError) -> Int {
        guard remaining > 0, into.count > 0 else { return 0 }
        let n = Int(min(Int64(into.count), remaining))
        let bytes = try readExactly(n, what: "a member's data")
        for i in 0..<n { into[i] = bytes[i] }
        remaining -= Int64(n)
        return n
    }

    /// The rest of the current member's data (for small members).
    public func readAll(limit: Int) throws(RundleError) -> [UInt8] {
        guard remaining <= Int64(limit) else { throw RundleError(.invalidArgument, "tar archive: member data over \(limit) bytes where a short record was expected") }
        let bytes = try readExactly(Int(remaining), what: "a member's data")
        remaining = 0
        return bytes
    }

    /// The next member's header, or nil at the end-of-archive marker (two zero blocks; one zero
    /// block followed by end of input is accepted as GNU tar does). End of input anywhere else
    /// is a truncated archive.
    public func next() throws(RundleError) -> TarEntry? {
        if finished { return nil }
        try skip(remaining, what: "a member's data")
        remaining = 0
        try skip(Int64(pendingPadding), what: "a member's padding")
        pendingPadding = 0

        var longName: [UInt8]?
        var longLink: [UInt8]?
        var pax: [String: [UInt8]] = [:]
        while true {
            let block = try readBytes(TarFormat.blockSize)
            if block.isEmpty {
                throw RundleError(.invalidArgument, "truncated tar archive: no end-of-archive marker")
            }
            guard block.count == TarFormat.blockSize else { throw RundleError(.invalidArgument, "truncated tar archive: it ends inside a header") }
            if block.allSatisfy({ $0 == 0 }) {
                let second = try readBytes(TarFormat.blockSize)
                guard second.isEmpty || (second.count == TarFormat.blockSize && second.allSatisfy { $0 == 0 }) else {
                    throw RundleError(.invalidArgument, "invalid tar archive: a zero block inside the archive")
                }
                finished = true
                return nil
            }
            guard try TarFormat.checksumMatches(block) else {
                throw RundleError(.invalidArgument, "invalid tar archive: header checksum mismatch (not a tar archive, or corrupt)")
            }
            var size = try TarFormat.number(block, 124, 12, field: "size")
            let type = block[156]
            let magic = TarFormat.string(block, 257, 6)
            let isPOSIX = magic == Array("ustar".utf8) && block[263] == UInt8(ascii: "0")

            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= Int64(TarFormat.maxNameLength + 1) else {
                    throw RundleError(.invalidArgument, "invalid tar archive: a GNU long name over \(TarFormat.maxNameLength) bytes")
                }
                var data = try readExactly(Int(size), what: "a GNU long name")
                try skip(Int64(TarFormat.padding(size)), what: "a GNU long name")
                if let nul = data.firstIndex(of: 0) { data = Array(data[..<nul]) }
                if type == UInt8(ascii: "L") { longName = data } else { longLink = data }
                continue
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                guard size <= Int64(TarFormat.maxPaxHeaderSize) else {
                    throw RundleError(.invalidArgument, "invalid tar archive: a pax header over \(TarFormat.maxPaxHeaderSize) bytes")
                }
                let data = try readExactly(Int(size), what: "a pax header")
                try skip(Int64(TarFormat.padding(size)), what: "a pax header")
                let records = try Self.parsePax(data)
                if type == UInt8(ascii: "x") { for (k, v) in records { pax[k] = v } }
                continue
            default:
                break
            }

            var name = longName ?? TarFormat.string(block, 0, 100)
            if longName == nil, isPOSIX {
                let prefix = TarFormat.string(block, 345, 155)
                if !prefix.isEmpty { name = prefix + [UInt8(ascii: "/")] + name }
            }
            var link = longLink ?? TarFormat.string(block, 157, 100)
            if let p = pax["path"] { name = p }
            if let p = pax["linkpath"] { link = p }
            var uid = try TarFormat.number(block, 108, 8, field: "uid")
            var gid = try TarFormat.number(block, 116, 8, field: "gid")
            var mtime = try TarFormat.number(block, 136, 12, field: "mtime")
            if let v = pax["size"] { size = try Self.decimal(v, field: "size") }
            if let v = pax["uid"] { uid = try Self.decimal(v, field: "uid") }
            if let v = pax["gid"] { gid = try Self.decimal(v, field: "gid") }
            if let v = pax["mtime"] { mtime = (try? Self.decimal(Array(v.prefix { $0 != UInt8(ascii: ".") }), field: "mtime")) ?? 0 }
            guard name.count <= TarFormat.maxNameLength, link.count <= TarFormat.maxNameLength else {
                throw RundleError(.invalidArgument, "invalid tar archive: a member name over \(TarFormat.maxNameLength) bytes")
            }
            guard !name.isEmpty else { throw RundleError(.invalidArgument, "invalid tar archive: a member with an empty name") }
            guard !name.contains(0), !link.contains(0) else { throw RundleError(.invalidArgument, "invalid tar archive: a NUL in a name") }

            let kind: TarEntry.Kind
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                kind = name.last == UInt8(ascii: "/") && !isPOSIX && type == 0 ? .directory : .regular
            case UInt8(ascii: "1"): kind = .hardLink
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "3"): kind = .characterDevice
            case UInt8(ascii: "4"): kind = .blockDevice
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "6"): kind = .fifo
            default:
                throw RundleError(.invalidArgument, "unsupported tar member type '\(String(decoding: [type], as: UTF8.self))' for \(String(decoding: name, as: UTF8.self))")
            }
            let mode = UInt32(truncatingIfNeeded: try TarFormat.number(block, 100, 8, field: "mode") & 0o7777)
            let major = UInt32(truncatingIfNeeded: (try? TarFormat.number(block, 329, 8, field: "devmajor")) ?? 0)
            let minor = UInt32(truncatingIfNeeded: (try? TarFormat.number(block, 337, 8, field: "devminor")) ?? 0)
            let entry = TarEntry(name: String(decoding: name, as: UTF8.self), kind: kind, mode: mode,
                                 uid: UInt32(truncatingIfNeeded: uid), gid: UInt32(truncatingIfNeeded: gid),
                                 size: kind == .regular ? size : 0, mtime: mtime,
                                 linkName: String(decoding: link, as: UTF8.self), deviceMajor: major, deviceMinor: minor)
            // Only regular files carry data (as in Go's and Python's readers).
            remaining = kind == .regular ? size : 0
            pendingPadding = TarFormat.padding(remaining)
            return entry
        }
    }

    static func decimal(_ bytes: [UInt8], field: String) throws(RundleError) -> Int64 {
        guard !bytes.isEmpty, bytes.count <= 19, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int64(String(decoding: bytes, as: UTF8.self)) else {
            throw RundleError(.invalidArgument, "invalid tar archive: bad pax \(field) '\(String(decoding: bytes.prefix(40), as: UTF8.self))'")
        }
        return value
    }

    /// "LEN key=value\n" records.
    static func parsePax(_ data: [UInt8]) throws(RundleError) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 0
        while i < data.count {
            if data[i] == 0 { break }
            guard let space = data[i...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[i..<space], as: UTF8.self)),
                  length > space - i + 1, i + length <= data.count, data[i + length - 1] == UInt8(ascii: "\n"),
                  let equals = data[(space + 1)..<(i + length)].firstIndex(of: UInt8(ascii: "="))
            else { throw RundleError(.invalidArgument, "invalid tar archive: malformed pax header") }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            out.append((key, Array(data[(equals + 1)..<(i + length - 1)])))
            i += length
        }
        return out
    }
}
