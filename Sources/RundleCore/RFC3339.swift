import Glibc

/// Formats timestamps without Foundation (kept off the CLI's start-up path).
enum RFC3339 {
    static func format(nanos: Int64) -> String {
        // Floor division: before 1970 the fraction still counts forward from the second before
        // (a negative remainder would print as "-5" and trap below -1 s).
        var seconds = time_t(nanos / 1_000_000_000)
        var frac = nanos % 1_000_000_000
        if frac < 0 {
            frac += 1_000_000_000
            seconds -= 1
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let fracText = String(frac)
        let fraction = String(repeating: "0", count: 9 - fracText.count) + fracText
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(fraction)Z"
    }
}
