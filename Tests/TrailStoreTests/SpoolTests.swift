import Testing
import TrailStore
import TrailTestSupport

@Suite("Webhook spool: undelivered batches kept per destination until delivered")
struct SpoolTests {
    @Test("batches are kept in order per destination, retried in place, and removed once delivered")
    func spool() throws {
        let store = try StateStore.open(path: Fixtures.temporaryFolder("spool") + "/state.db")
        let hook = "https://hooks.example.com/keytrail"
        let first = SpooledBatch(
            batchID: "b1", destination: hook, body: Array(#"{"findings":[1]}"#.utf8), createdAt: 100, attempts: 1,
            lastError: "HTTP 503", findingIDs: ["f1", "f2"])
        var second = first
        second.batchID = "b2"
        second.body = Array(#"{"findings":[2]}"#.utf8)
        var elsewhere = first
        elsewhere.batchID = "b3"
        elsewhere.destination = "https://other.example.com/"
        for batch in [first, second, elsewhere] { try store.spool(batch) }
        #expect(try store.spooled(for: hook) == [first, second])

        var retried = first
        retried.attempts = 2
        retried.lastError = "timed out after 10 s"
        try store.spool(retried)
        #expect(try store.spooled(for: hook) == [retried, second])

        try store.removeSpooled("b1")
        #expect(try store.spooled(for: hook) == [second])
        #expect(try store.info().spooledBatches == 2)
    }
}
