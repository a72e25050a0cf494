import Testing
import TrailModel

@Suite("Access keys and activity records")
struct AccessKeyTests {
    @Test(
        "kind from the prefix",
        arguments: [
            ("AKIAIOSFODNN7EXAMPLE", AccessKeyKind.longTerm), ("ASIAY34FZKBOKMUTVV7A", .temporary),
            ("AIDAJQABLZS4A3QDU576Q", .unknown), ("EXAMPLE", .unknown), ("AK", .unknown), ("", .unknown),
        ])
    func kind(id: String, expected: AccessKeyKind) {
        #expect(AccessKeyID(id).kind == expected)
    }

    @Test("merging activity sums counts, widens the time span and keeps the earliest principal")
    func merge() {
        let key = AccessKeyID("AKIAIOSFODNN7EXAMPLE")
        var early = KeyActivity(accessKeyID: key, principal: Principal(type: "IAMUser", userName: "alice"))
        early.events = 3
        early.errors = 1
        early.firstSeen = 100
        early.lastSeen = 200
        early.eventNames.add("GetObject", count: 3)
        early.activeHours[1] = 3
        early.dailyEvents.add(3, on: 1)
        var late = KeyActivity(accessKeyID: key, principal: Principal(type: "IAMUser", userName: "mallory"))
        late.events = 2
        late.firstSeen = 150
        late.lastSeen = 400
        late.eventNames.add("GetObject", count: 1)
        late.eventNames.add("PutObject", count: 1)
        late.activeHours[1] = 2
        late.dailyEvents.add(2, on: 70)
        var a = early
        a.merge(late)
        var b = late
        b.merge(early)
        #expect(a == b)
        #expect(a.events == 5 && a.errors == 1)
        #expect(a.firstSeen == 100 && a.lastSeen == 400)
        #expect(a.principal.userName == "alice")
        #expect(a.eventNames["GetObject"] == 4)
        #expect(a.activeHours[1] == 5)
        #expect(a.activeDays == 2)
        #expect(a.dailyEvents.days == [DayCounts.Day(day: 1, count: 3), DayCounts.Day(day: 70, count: 2)])
    }
}
