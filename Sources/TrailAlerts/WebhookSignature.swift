import Crypto

/// `X-Keytrail-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body with the shared secret, so a receiver can
/// check that a batch came from keytrail and was not changed.
public enum WebhookSignature {
    /// The header's value for `body`.
    public static func header(body: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + code.map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 0xF)] }.joined()
    }

    /// Whether `header` is the right signature of `body` (compared in constant time).
    public static func verify(header: String, body: [UInt8], secret: [UInt8]) -> Bool {
        let expected = Array(self.header(body: body, secret: secret).utf8)
        let given = Array(header.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }
}
