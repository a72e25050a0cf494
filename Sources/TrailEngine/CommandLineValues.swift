import TrailModel

/// Parsers for the values users type on the command line (sizes, times), with messages that say what is wanted.
public enum CommandLineValues {
    /// Parses a byte size: `1048576`, `512KiB`, `64MiB`, `4GiB`, `64M`, `4G`, `1.5GiB`.
    /// - Returns: bytes, or nil when the text is not a size.
    public static func byteSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let number = Double(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).lowercased().trimmingSpaces()
        let kibi = 1_024.0
        let multipliers: [String: Double] = [
            "": 1, "b": 1, "k": kibi, "kb": kibi, "kib": kibi, "m": kibi * kibi, "mb": kibi * kibi,
            "mib": kibi * kibi, "g": kibi * kibi * kibi, "gb": kibi * kibi * kibi, "gib": kibi * kibi * kibi,
            "t": kibi * kibi * kibi * kibi, "tb": kibi * kibi * kibi * kibi, "tib": kibi * kibi * kibi * kibi,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        let bytes = number * multiplier
        guard bytes < Double(Int64.max) else { return nil }
        return Int64(bytes)
    }

    /// Parses a duration: `90s`, `30m`, `12h`, `7d`, `2w`, or a bare number of seconds.
    /// - Returns: seconds, or nil when the text is not a duration.
    public static func duration(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces().lowercased()
        let digits = trimmed.prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let units: [String: Int64] = ["": 1, "s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = units[String(trimmed.dropFirst(digits.count))] else { return nil }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? nil : seconds
    }

    /// Parses an ISO 8601 date or date-time. A bare date means its start, or with `endOfDay` its last second.
    public static func time(_ text: String, endOfDay: Bool = false) -> Int64? {
        let trimmed = text.trimmingSpaces()
        guard let seconds = Timestamp.parse(trimmed, allowDateOnly: true) else { return nil }
        return trimmed.utf8.count == 10 && endOfDay ? seconds + 86_399 : seconds
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
