import Foundation
import Testing
import TrailAnalysis
import TrailModel
import TrailTestSupport

@Suite("Key inventory: credential reports and list-access-keys")
struct InventoryTests {
    @Test("the bundled credential report: every slot, N/A and no_information, the root row")
    func sampleReport() throws {
        var inventory = KeyInventory()
        try inventory.add(path: Fixtures.sampleLogs + "/credential-report.csv")
        #expect(inventory.keys.count == 7)
        let root = try #require(inventory.keys.first { $0.isRoot })
        #expect(root.isActive)
        #expect(root.created == Timestamp.parse("2021-06-02T18:20:31+00:00"))
        let neverUsed = try #require(inventory.keys.first { $0.userName == "svc-reporting" })
        #expect(neverUsed.lastUsed == nil)
        #expect(neverUsed.lastUsedService == nil)
        let second = try #require(inventory.keys.first { $0.userName == "ci-deploy" && $0.slot == 2 })
        #expect(second.isActive && second.lastUsed == nil)
        #expect(second.source.hasSuffix("credential-report.csv:4"))
    }

    @Test("list-access-keys JSON, one document, an array, or JSON lines; matched to report slots")
    func listAccessKeys() throws {
        let report =
            KeyRuleTests.header
            + KeyRuleTests.row(
                "alice", true, rotated: "2026-06-01T08:05:00+00:00", used: "2026-11-27T16:12:00+00:00",
                key2: (false, "2025-01-01T00:00:00+00:00", "N/A"))
        let one =
            #"{"AccessKeyMetadata":[{"UserName":"alice","AccessKeyId":"AKIAALICE00000000001","Status":"Active","CreateDate":"2026-06-01T08:05:00+00:00"}]}"#
        let lines =
            one + "\n"
            + #"{"AccessKeyMetadata":[{"UserName":"bob","AccessKeyId":"AKIABOB0000000000001","Status":"Inactive","CreateDate":"2026-10-14T10:02:59Z"}]}"#
        for text in [one, "[" + one + "]", lines] {
            var inventory = KeyInventory()
            try inventory.add(text: report, path: "report.csv")
            try inventory.add(text: text, path: "keys.json")
            let alice = try #require(inventory.keys.first { $0.accessKeyId == "AKIAALICE00000000001" })
            #expect(alice.slot == 1)
            #expect(alice.lastUsed == Timestamp.parse("2026-11-27T16:12:00Z"))
            #expect(inventory.keys.filter { $0.userName == "alice" }.count == 2)
        }
        var both = KeyInventory()
        try both.add(text: lines, path: "keys.jsonl")
        #expect(both.keys.first { $0.userName == "bob" }?.isActive == false)
    }

    @Test("get-credential-report's raw JSON output (base64 content) is decoded")
    func rawReport() throws {
        let csv = KeyRuleTests.header + KeyRuleTests.row("carol", true, rotated: "2025-01-01T00:00:00+00:00")
        let json =
            #"{"Content": "\#(Data(csv.utf8).base64EncodedString())", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-28T12:00:00+00:00"}"#
        var inventory = KeyInventory()
        try inventory.add(text: json, path: "report.json")
        #expect(inventory.keys.map(\.userName) == ["carol"])
    }

    @Test(
        "bad inventory input names the file and line",
        arguments: [
            (
                "user,arn,password_enabled\nalice,arn:x,true\n",
                "report.csv:1: not a credential report: missing column(s) access_key_1_active"
            ),
            (
                KeyRuleTests.header + KeyRuleTests.row("alice", true, rotated: "last tuesday"),
                "report.csv:2: column access_key_1_last_rotated: \"last tuesday\" is not an ISO 8601 date"
            ),
            (KeyRuleTests.header + "alice,arn,too,few\n", "report.csv:2: 4 fields where the header has 22"),
            (#"{"Users":[]}"#, "report.csv:1: expected list-access-keys output"),
            ("hello", "report.csv:1: not an IAM credential report"),
            ("{\"AccessKeyMetadata\":[]}\n{broken", "report.csv:2: invalid JSON"),
        ])
    func badInput(text: String, message: String) {
        var inventory = KeyInventory()
        #expect {
            try inventory.add(text: text, path: "report.csv")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
