import Testing
import TrailModel
import TrailTestSupport

@testable import TrailAnalysis

@Suite("ValueSpace: IPv4 held literally only when it round-trips exactly")
struct ValueSpaceTests {
    @Test(
        "canonical dotted quads parse; anything that would not format back the same does not",
        arguments: [
            ("203.0.113.10", "203.0.113.10" as String?), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("010.1.1.1", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("256.1.1.1", nil), ("1..2.3", nil),
            ("1.2.3.4 ", nil),
            ("2001:db8::1", nil), ("s3.amazonaws.com", nil), ("AWS Internal", nil), ("1.2.3.04", nil),
        ])
    func parse(text: String, expected: String?) {
        var padded = text + String(repeating: "\0", count: 16)
        let address = padded.withUTF8 { ValueSpace.parseIPv4($0.baseAddress!, count: text.utf8.count) }
        #expect(address.map(ValueSpace.formatIPv4) == expected)
    }

    @Test("formatting writes the dotted quad for every part width, the inverse of parsing")
    func formatting() {
        var generator = SystemRandomNumberGenerator()
        let parts: [UInt32] = [0, 1, 9, 10, 99, 100, 199, 200, 255]
        var addresses = parts.map { $0 << 24 | $0 << 16 | $0 << 8 | $0 }
        addresses += (0..<2_000).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
        for address in addresses {
            let text = ValueSpace.formatIPv4(address)
            #expect(text == "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)")
            var padded = text + String(repeating: "\0", count: 16)
            #expect(padded.withUTF8 { ValueSpace.parseIPv4($0.baseAddress!, count: text.utf8.count) } == address)
        }
    }

    @Test("non-canonical and IPv6 addresses are still counted exactly, through the interner")
    func mixedAddresses() {
        let addresses = ["203.0.113.10", "010.1.1.1", "2001:db8::1", "203.0.113.10", "cloudtrail.amazonaws.com"]
        let records = addresses.map { address in RecordBuilder { $0.sourceIPAddress = address } }
        let key = keyActivities(records).first
        #expect(
            key?.sourceIPs.dictionary == [
                "203.0.113.10": 2, "010.1.1.1": 1, "2001:db8::1": 1, "cloudtrail.amazonaws.com": 1,
            ])
    }
}
