/// Hand-written ISO 8601 parsing and formatting for CloudTrail's `eventTime`, without Foundation's date parsers.
///
/// Accepts `YYYY-MM-DDTHH:MM:SS` followed by optional fractional seconds and `Z` or a `±HH:MM` offset, and a bare
/// date `YYYY-MM-DD` (midnight UTC). Times are whole seconds since the Unix epoch, fractions truncated.
public enum Timestamp {
    /// Parses an ISO 8601 timestamp from raw bytes.
    /// - Parameters:
    ///   - p: the first byte.
    ///   - count: the number of bytes.
    ///   - allowDateOnly: whether a bare `YYYY-MM-DD` is accepted.
    /// - Returns: seconds since the epoch, or nil when the text is not a timestamp.
    @inlinable
    public static func parse(_ p: UnsafePointer<UInt8>, count: Int, allowDateOnly: Bool = false) -> Int64? {
        guard count >= 10 else { return nil }
        guard let year = digits(p, 4), p[4] == UInt8(ascii: "-"), let month = digits(p + 5, 2),
            p[7] == UInt8(ascii: "-"), let day = digits(p + 8, 2)
        else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if count == 10 { return allowDateOnly ? days &* 86_400 : nil }
        guard count >= 19, p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: "t") || p[10] == UInt8(ascii: " "),
            let hour = digits(p + 11, 2), p[13] == UInt8(ascii: ":"), let minute = digits(p + 14, 2),
            p[16] == UInt8(ascii: ":"), let second = digits(p + 17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        if i < count && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
            i &+= 1
            let fractionStart = i
            while i < count && p[i] &- UInt8(ascii: "0") < 10 { i &+= 1 }
            guard i > fractionStart else { return nil }
        }
        var offset: Int64 = 0
        if i < count {
            let c = p[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                i &+= 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard count - i >= 6, let oh = digits(p + i + 1, 2), p[i + 3] == UInt8(ascii: ":"),
                    let om = digits(p + i + 4, 2), oh < 24, om < 60
                else { return nil }
                offset = (oh &* 3_600 &+ om &* 60) * (c == UInt8(ascii: "+") ? 1 : -1)
                i &+= 6
            } else {
                return nil
            }
        }
        guard i == count else { return nil }
        return days &* 86_400 &+ hour &* 3_600 &+ minute &* 60 &+ second &- offset
    }

    /// Parses an ISO 8601 timestamp or date from a String.
    public static func parse(_ text: String, allowDateOnly: Bool = true) -> Int64? {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parse(base, count: buffer.count, allowDateOnly: allowDateOnly)
        }
    }

    /// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(_ seconds: Int64) -> String {
        String(unsafeUninitializedCapacity: formattedLength) { buffer in
            write(seconds, to: buffer.baseAddress!)
            return formattedLength
        }
    }

    /// The length of ``format(_:)``'s text: years are clamped to four digits.
    public static let formattedLength = 20

    /// Writes `seconds` as `YYYY-MM-DDTHH:MM:SSZ` into the ``formattedLength`` bytes at `p`.
    public static func write(_ seconds: Int64, to p: UnsafeMutablePointer<UInt8>) {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        @inline(__always) func two(_ value: Int64, at offset: Int) {
            p[offset] = UInt8(ascii: "0") + UInt8(value / 10 % 10)
            p[offset + 1] = UInt8(ascii: "0") + UInt8(value % 10)
        }
        let clampedYear = min(max(year, 0), 9_999)
        two(clampedYear / 100, at: 0)
        two(clampedYear % 100, at: 2)
        p[4] = UInt8(ascii: "-")
        two(month, at: 5)
        p[7] = UInt8(ascii: "-")
        two(day, at: 8)
        p[10] = UInt8(ascii: "T")
        two(secondOfDay / 3_600, at: 11)
        p[13] = UInt8(ascii: ":")
        two(secondOfDay % 3_600 / 60, at: 14)
        p[16] = UInt8(ascii: ":")
        two(secondOfDay % 60, at: 17)
        p[19] = UInt8(ascii: "Z")
    }

    /// Formats the date part only, `YYYY-MM-DD`.
    public static func formatDate(_ seconds: Int64) -> String {
        let (year, month, day) = civilFromDays(floorDiv(seconds, 86_400))
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number.
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Division rounding toward negative infinity.
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inlinable
    static func digits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        var value: Int64 = 0
        for i in 0..<n {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int64(d)
        }
        return value
    }

    @inlinable
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
