import Testing
import TrailEngine

@Suite("Command-line values")
struct CommandLineValuesTests {
    @Test(
        "byte sizes",
        arguments: [
            ("1048576", 1_048_576 as Int64?), ("64MiB", 67_108_864), ("64M", 67_108_864), ("4GiB", 4_294_967_296),
            ("512k", 524_288), ("1.5GiB", 1_610_612_736), (" 2 GB ", 2_147_483_648), ("lots", nil), ("-5MiB", nil),
            ("5 parsecs", nil), ("", nil),
        ])
    func sizes(text: String, expected: Int64?) {
        #expect(CommandLineValues.byteSize(text) == expected)
    }

    @Test("times: dates are the start of the day, or its last second for --until")
    func times() {
        #expect(CommandLineValues.time("2026-11-28") == 1_795_824_000)
        #expect(CommandLineValues.time("2026-11-28", endOfDay: true) == 1_795_910_399)
        #expect(CommandLineValues.time("2026-11-28T12:00:00Z", endOfDay: true) == 1_795_867_200)
        #expect(CommandLineValues.time("28/11/2026") == nil)
    }
}
