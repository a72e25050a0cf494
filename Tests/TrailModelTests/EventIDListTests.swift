import Foundation
import Testing
import TrailModel

@Suite("EventIDList: a finding's event IDs, packed where they are UUIDs, read and written as their text")
struct EventIDListTests {
    /// UUIDs, IDs of other shapes, and text that JSON must escape.
    let texts = [
        "0c4e7a1f-5b2d-4e8a-9f3c-d2a1b0c9e8f7", "evt-1", "EXAMPLE8-9bc6-4f64-8e2d-1ca2EXAMPLE", "",
        "quote \" and backslash \\ and tab \t", "ffffffff-ffff-ffff-ffff-ffffffffffff", "ü-non-ascii",
    ]

    @Test("reads back as the texts it was made of, in order")
    func readsBack() {
        let list = EventIDList(texts: texts)
        #expect(list.count == texts.count)
        #expect(Array(list) == texts)
        #expect(list[0] == texts[0])
        #expect(list == EventIDList(list.ids))
        #expect(EventIDList(texts: ["a", "b"]) == ["a", "b"])
        #expect(EventIDList(texts: ["a", "b"]) != ["b", "a"])
    }

    @Test("writes the same JSON as the texts written as strings, compact and pretty")
    func writesLikeStrings() throws {
        for indent in [0, 2] {
            let fromList = JSONWriter(indent: indent)
            fromList.beginObject()
            fromList.key("eventIds")
            EventIDList(texts: texts).write(into: fromList)
            fromList.endObject()
            let fromStrings = JSONWriter(indent: indent)
            fromStrings.beginObject()
            fromStrings.field("eventIds", strings: texts)
            fromStrings.endObject()
            #expect(fromList.text == fromStrings.text)
            let decoded = try JSONSerialization.jsonObject(with: Data(fromList.text.utf8)) as? [String: [String]]
            #expect(decoded?["eventIds"] == texts)
        }
    }

    @Test("a finding's IDs survive its JSON, as the alert ledger stores it")
    func findingRoundTrip() throws {
        let finding = Finding(
            id: "f1", rule: "root-account-usage", severity: .critical, title: "Root used",
            eventIds: EventIDList(texts: texts), eventCount: texts.count, remediation: "Stop using root.")
        let writer = JSONWriter()
        finding.write(into: writer)
        let json = try JSONValue.parse(writer.text)
        #expect(Finding(json: json)?.eventIds == finding.eventIds)
        #expect(Finding(json: json) == finding)
    }
}
