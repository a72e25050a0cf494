/// Events per day (days since 1970-01-01, UTC), sorted by day: a key's daily activity, for cadence, charts and
/// history. Most keys are active on a few days, for which a sorted array is small and fast.
public struct DayCounts: Sendable, Equatable {
    /// One day and its events.
    public struct Day: Sendable, Equatable {
        public var day: Int32
        public var count: Int

        public init(day: Int32, count: Int) {
            self.day = day
            self.count = count
        }
    }

    /// The days with events, ascending.
    public private(set) var days: [Day]

    /// No days.
    public init() { days = [] }

    /// Days in any order; repeated days are summed, empty ones dropped.
    public init(days: [Day]) {
        self.days = []
        for day in days where day.count > 0 { add(day.count, on: day.day) }
    }

    /// Adds `count` events on `day`.
    public mutating func add(_ count: Int, on day: Int32) {
        if let last = days.last {
            if last.day == day {
                days[days.count - 1].count += count
                return
            }
            if last.day < day {
                days.append(Day(day: day, count: count))
                return
            }
        } else {
            days.append(Day(day: day, count: count))
            return
        }
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle].day < day { low = middle + 1 } else { high = middle }
        }
        if low < days.count && days[low].day == day {
            days[low].count += count
        } else {
            days.insert(Day(day: day, count: count), at: low)
        }
    }

    /// The number of days with events.
    public var count: Int { days.count }

    /// Events on `day`.
    public subscript(day: Int32) -> Int {
        days.first { $0.day == day }?.count ?? 0
    }

    /// Adds another record's days.
    public mutating func merge(_ other: DayCounts) {
        guard !other.days.isEmpty else { return }
        guard !days.isEmpty else {
            days = other.days
            return
        }
        var merged: [Day] = []
        merged.reserveCapacity(days.count + other.days.count)
        var i = 0
        var j = 0
        while i < days.count || j < other.days.count {
            if j == other.days.count || (i < days.count && days[i].day < other.days[j].day) {
                merged.append(days[i])
                i += 1
            } else if i == days.count || other.days[j].day < days[i].day {
                merged.append(other.days[j])
                j += 1
            } else {
                merged.append(Day(day: days[i].day, count: days[i].count + other.days[j].count))
                i += 1
                j += 1
            }
        }
        days = merged
    }
}
