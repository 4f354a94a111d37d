/// One tar member as Rundle reads and writes it: ustar fields, with long names and large sizes
/// carried by pax 'x' records (written) or pax / GNU 'L'/'K' records (read).
public struct TarEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case regular, hardLink, symlink, directory, characterDevice, blockDevice, fifo
    }

    public var name: String
    public var kind: Kind
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var mtime: Int64
    public var linkName: String
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32

    public init(name: String, kind: Kind, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
                mtime: Int64 = 0, linkName: String = "", deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.mtime = mtime
        self.linkName = linkName
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
    }

    var typeFlag: UInt8 {
        switch kind {
        case .regular: return UInt8(ascii: "0")
        case .hardLink: return UInt8(ascii: "1")
        case .symlink: return UInt8(ascii: "2")
        case .characterDevice: return UInt8(ascii: "3")
        case .blockDevice: return UInt8(ascii: "4")
        case .directory: return UInt8(ascii: "5")
        case .fifo: return UInt8(ascii: "6")
        }
    }
}

/// Limits and the fixed layout of a 512-byte ustar header block.
public enum TarFormat {
    public static let blockSize = 512
    /// Longest member or link name accepted (Linux's PATH_MAX).
    public static let maxNameLength = 4096
    /// Largest pax extended header accepted.
    public static let maxPaxHeaderSize = 1 << 20

    /// Bytes `offset ..< offset+length` of `block` up to the first NUL.
    static func string(_ block: [UInt8], _ offset: Int, _ length: Int) -> [UInt8] {
        let field = block[offset..<(offset + length)]
        if let nul = field.firstIndex(of: 0) { return Array(block[offset..<nul]) }
        return Array(field)
    }

    /// A numeric field: octal (spaces and NULs around it), or GNU base-256 when the first byte
    /// has its high bit set. Negative or overflowing values are errors.
    static func number(_ block: [UInt8], _ offset: Int, _ length: Int, field: String) throws(RundleError) -> Int64 {
        let bytes = block[offset..<(offset + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            if first == 0xff { throw RundleError(.invalidArgument, "invalid tar archive: negative \(field)") }
            var value: Int64 = Int64(first & 0x7f)
            for byte in bytes.dropFirst() {
                guard value <= (Int64.max >> 8) else { throw RundleError(.invalidArgument, "invalid tar archive: \(field) overflows") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        var ended = false
        for byte in bytes {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if seenDigit { ended = true }
                continue
            }
            guard !ended, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else {
                throw RundleError(.invalidArgument, "invalid tar archive: bad \(field) field")
            }
            seenDigit = true
            guard value <= (Int64.max >> 3) else { throw RundleError(.invalidArgument, "invalid tar archive: \(field) overflows") }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Whether the header's checksum (unsigned, as POSIX says; signed accepted as old tars wrote) is right.
    static func checksumMatches(_ block: [UInt8]) throws(RundleError) -> Bool {
        let stored = try number(block, 148, 8, field: "checksum")
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (i, byte) in block.enumerated() {
            let b = (148..<156).contains(i) ? UInt8(ascii: " ") : byte
            unsigned += Int64(b)
            signed += Int64(Int8(bitPattern: b))
        }
        return stored == unsigned || stored == signed
    }

    static func putString(_ block: inout [UInt8], _ offset: Int, _ length: Int, _ bytes: [UInt8]) {
        for (i, b) in bytes.prefix(length).enumerated() { block[offset + i] = b }
    }

    /// Octal, zero-padded, NUL-terminated; false when it does not fit.
    @discardableResult
    static func putOctal(_ block: inout [UInt8], _ offset: Int, _ length: Int, _ value: Int64) -> Bool {
        guard value >= 0 else { return false }
        let digits = Array(String(value, radix: 8).utf8)
        guard digits.count <= length - 1 else { return false }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: length - 1 - digits.count) + digits
        putString(&block, offset, length, padded + [0])
        return true
    }

    /// One ustar header block for `entry` with `name`/`linkName` already short enough.
    static func headerBlock(_ entry: TarEntry, name: [UInt8], linkName: [UInt8], typeFlag: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        putString(&block, 0, 100, name)
        putOctal(&block, 100, 8, Int64(entry.mode & 0o7777))
        if !putOctal(&block, 108, 8, Int64(entry.uid)) { putOctal(&block, 108, 8, 0) }
        if !putOctal(&block, 116, 8, Int64(entry.gid)) { putOctal(&block, 116, 8, 0) }
        if !putOctal(&block, 124, 12, entry.size) { putOctal(&block, 124, 12, 0) }
        if !putOctal(&block, 136, 12, entry.mtime) { putOctal(&block, 136, 12, 0) }
        block[156] = typeFlag
        putString(&block, 157, 100, linkName)
        putString(&block, 257, 8, Array("ustar\u{0}00".utf8))
        putOctal(&block, 329, 8, Int64(entry.deviceMajor))
        putOctal(&block, 337, 8, Int64(entry.deviceMinor))
        for i in 148..<156 { block[i] = UInt8(ascii: " ") }
        let sum = block.reduce(0) { $0 + Int64($1) }
        putOctal(&block, 148, 7, sum)
        block[155] = UInt8(ascii: " ")
        return block
    }

    /// A pax record "LEN key=value\n", LEN counting itself.
    static func paxRecord(_ key: String, _ value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length = String(length).utf8.count + body.count }
        return Array(String(length).utf8) + body
    }

    /// The header blocks (a pax 'x' header first when needed) for `entry`.
    public static func encode(_ entry: TarEntry) -> [UInt8] {
        let name = Array(entry.name.utf8)
        let link = Array(entry.linkName.utf8)
        var pax: [UInt8] = []
        if name.count > 100 { pax += paxRecord("path", name) }
        if link.count > 100 { pax += paxRecord("linkpath", link) }
        if entry.size > 0o77777777777 { pax += paxRecord("size", Array(String(entry.size).utf8)) }
        if entry.uid > 0o7777777 { pax += paxRecord("uid", Array(String(entry.uid).utf8)) }
        if entry.gid > 0o7777777 { pax += paxRecord("gid", Array(String(entry.gid).utf8)) }
        if entry.mtime < 0 || entry.mtime > 0o77777777777 { pax += paxRecord("mtime", Array(String(entry.mtime).utf8)) }
        var out: [UInt8] = []
        if !pax.isEmpty {
            let base = entry.name.split(separator: "/").last.map(String.init) ?? "entry"
            let paxEntry = TarEntry(name: "", kind: .regular, mode: 0o644, size: Int64(pax.count), mtime: max(0, min(entry.mtime, 0o77777777777)))
            out += headerBlock(paxEntry, name: Array(("PaxHeaders/" + base).utf8.prefix(100)), linkName: [], typeFlag: UInt8(ascii: "x"))
            out += pax
            out += [UInt8](repeating: 0, count: padding(Int64(pax.count)))
        }
        out += headerBlock(entry, name: Array(name.prefix(100)), linkName: Array(link.prefix(100)), typeFlag: entry.typeFlag)
        return out
    }

    /// Zero bytes that follow `size` bytes of data to end its last block.
    public static func padding(_ size: Int64) -> Int {
        let rest = Int(size % Int64(blockSize))
        return rest == 0 ? 0 : blockSize - rest
    }
}
