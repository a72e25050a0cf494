import Testing
import TrailModel

@Suite("NetworkPrefix: /24 for IPv4, /48 for IPv6")
struct NetworkPrefixTests {
    @Test(
        "addresses map to their network",
        arguments: [
            ("203.0.113.7", "203.0.113.0/24" as String?), ("203.0.113.200", "203.0.113.0/24"),
            ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"), ("2001:db8::1", "2001:db8:0::/48"), ("::1", "0:0:0::/48"),
            ("::ffff:192.0.2.1", "0:0:0::/48"), ("fe80::1%eth0", "fe80:0:0::/48"),
            ("s3.amazonaws.com", nil), ("AWS Internal", nil), ("1.2.3", nil), ("2001:db8:::1", nil), ("1::2::3", nil),
        ])
    func prefixes(address: String, expected: String?) {
        #expect(NetworkPrefix.of(address).map(NetworkPrefix.describe) == expected)
    }

    @Test("two addresses share a network only within the same /24")
    func sameNetwork() {
        #expect(NetworkPrefix.of("198.51.100.1") == NetworkPrefix.of("198.51.100.254"))
        #expect(NetworkPrefix.of("198.51.100.1") != NetworkPrefix.of("198.51.101.1"))
    }
}
