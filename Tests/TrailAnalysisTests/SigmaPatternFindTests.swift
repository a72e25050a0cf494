import Testing
import TrailTestSupport

@testable import TrailAnalysis

@Suite("SigmaPattern.find: substring search eight positions at a time, with and without ASCII case folding")
struct SigmaPatternFindTests {
    /// The plain definition: some position where every byte equals the needle's (ASCII-folded when `fold`).
    private func reference(_ needle: [UInt8], _ haystack: [UInt8], fold: Bool) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            needle.indices.allSatisfy { index in
                let byte = haystack[start + index]
                return (fold ? SigmaPattern.foldASCII(byte) : byte) == needle[index]
            }
        }
    }

    private func find(_ needle: [UInt8], _ haystack: [UInt8], fold: Bool) -> Bool {
        haystack.withUnsafeBufferPointer { SigmaPattern.find(needle, in: $0, fold: fold) }
    }

    @Test("SigmaHQ's IMDS gate finds its literal in an assumed-role ARN of any length, at any position")
    func assumedRoleLiteral() {
        let needle = Array(":assumed-role/aws:".utf8)
        let hit = "arn:aws:sts::123456789012:assumed-role/aws:ec2-instance/i-0123456789abcdef0"
        let miss = "arn:aws:sts::123456789012:assumed-role/app-role-17/session-7874"
        #expect(find(needle, Array(hit.utf8), fold: false))
        #expect(!find(needle, Array(miss.utf8), fold: false))
        // The literal at the very start, the very end, and in haystacks just around the eight-byte step.
        for padding in 0..<20 {
            let before = Array(repeating: UInt8(ascii: ":"), count: padding)
            #expect(find(needle, before + needle, fold: false))
            #expect(find(needle, needle + before, fold: false))
            #expect(!find(needle, before + needle.dropLast(), fold: false))
        }
    }

    @Test("folding matches letters in either case, and only letters")
    func folding() {
        #expect(find(Array("trufflehog".utf8), Array("scanner: TruffleHog/3.63".utf8), fold: true))
        #expect(!find(Array("trufflehog".utf8), Array("scanner: TruffleHog/3.63".utf8), fold: false))
        // Bit 5 set on "@" and "[" gives "`" and "{": no match for a needle of those.
        #expect(!find(Array("`a{".utf8), Array("x@A[y".utf8), fold: true))
        #expect(find(Array("@a[".utf8), Array("x@A[y".utf8), fold: true))
    }

    @Test("agrees with the plain definition on random text", arguments: 0..<12)
    func agreesWithReference(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        // A small alphabet with both cases and the bytes bit 5 pairs them with, so candidates and near misses abound.
        let alphabet = Array("aAbB:@`[{/-".utf8)
        for _ in 0..<400 {
            let haystack = (0..<Int.random(in: 0..<70, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let fold = Bool.random(using: &generator)
            var needle = (0..<Int.random(in: 1..<6, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            if fold { needle = needle.map(SigmaPattern.foldASCII) }
            if !haystack.isEmpty && Bool.random(using: &generator) {
                // Half the time, a needle cut from the haystack, so hits are common too.
                let start = Int.random(in: 0..<haystack.count, using: &generator)
                let end = min(haystack.count, start + Int.random(in: 1..<12, using: &generator))
                needle = Array(haystack[start..<end]).map { fold ? SigmaPattern.foldASCII($0) : $0 }
            }
            #expect(
                find(needle, haystack, fold: fold) == reference(needle, haystack, fold: fold),
                "needle \(needle) haystack \(haystack) fold \(fold)")
        }
    }
}
