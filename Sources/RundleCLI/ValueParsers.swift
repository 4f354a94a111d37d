import RundleCore

/// Parsers for the flag values that have a shape (sizes, K=V, bind specs), each with a clear error.
enum ValueParsers {
    /// `64M`, `64m`, `1G`, `512k`, `1024`, `64MiB`, `64MB` — binary multiples, as podman and docker.
    static func size(_ text: String, flag: String) throws(RundleError) -> Int64 {
        let bad = RundleError(.invalidArgument, "invalid \(flag) '\(text)': expected a size such as 64M, 1G or 1048576")
        var digits = Substring(text)
        var unit = ""
        while let last = digits.last, !last.isNumber {
            unit = String(last) + unit
            digits = digits.dropLast()
        }
        // ASCII digits only: Int64("-5") and Int64("+5") parse, and a size is never signed.
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { throw bad }
        let shift: Int64
        switch unit.lowercased() {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: throw bad
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: Int64(1) << shift)
        guard !overflow else { throw RundleError(.invalidArgument, "invalid \(flag) '\(text)': too large") }
        return result
    }

    static func keyValue(_ text: String, flag: String) throws(RundleError) -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw RundleError(.invalidArgument, "invalid \(flag) '\(text)': expected KEY=VALUE")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// `SRC:DST[:ro|rw]`; a relative source is taken from the working directory.
    static func bind(_ text: String) throws(RundleError) -> BindMount {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw RundleError(.invalidArgument, "invalid --bind '\(text)': expected SRC:DST[:ro|rw]")
        }
        var readOnly = false
        if parts.count == 3 {
            switch parts[2] {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default: throw RundleError(.invalidArgument, "invalid --bind '\(text)': mode must be ro or rw, not '\(parts[2])'")
            }
        }
        return BindMount(source: absolute(parts[0]), destination: parts[1], readOnly: readOnly)
    }

    static func unsigned(_ text: String, flag: String) throws(RundleError) -> UInt64 {
        guard let v = UInt64(text) else { throw RundleError(.invalidArgument, "invalid \(flag) '\(text)': expected a non-negative integer") }
        return v
    }

    static func signed(_ text: String, flag: String) throws(RundleError) -> Int64 {
        guard let v = Int64(text) else { throw RundleError(.invalidArgument, "invalid \(flag) '\(text)': expected an integer") }
        return v
    }
}
