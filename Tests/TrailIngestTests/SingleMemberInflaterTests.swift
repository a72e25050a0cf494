import Testing
import TrailTestSupport

@testable import TrailIngest

@Suite("ISA-L's single-member inflate answers only what it is sure of")
struct SingleMemberInflaterTests {
    static let document = Array(RecordBuilder.document((0..<40).map { _ in RecordBuilder() }).utf8)
    static let member = Gzip.compress(document)

    /// `input` inflated into a buffer of `capacity` bytes: the outcome and the bytes produced.
    static func inflate(_ input: [UInt8], capacity: Int = 1 << 20) -> (SingleMemberInflater.Outcome, [UInt8]) {
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { output.deallocate() }
        let outcome = input.withUnsafeBytes { SingleMemberInflater().inflate($0, into: output) }
        guard case .member(_, let produced) = outcome else { return (outcome, []) }
        return (outcome, Array(output[..<produced]))
    }

    @Test("a whole member, and a member followed by another: the first's bytes and its exact length")
    func members() {
        let (alone, bytes) = Self.inflate(Self.member)
        #expect(alone == .member(consumed: Self.member.count, produced: Self.document.count))
        #expect(bytes == Self.document)
        let (first, firstBytes) = Self.inflate(Self.member + Gzip.compress("{}"))
        #expect(first == .member(consumed: Self.member.count, produced: Self.document.count))
        #expect(firstBytes == Self.document)
    }

    @Test("cut short, it needs more input; with too little room, the output is full")
    func incomplete() {
        for cut in [20, Self.member.count / 2, Self.member.count - 3] {
            #expect(Self.inflate(Array(Self.member.prefix(cut))).0 == .inputEnded, "cut at \(cut)")
        }
        #expect(Self.inflate(Self.member, capacity: Self.document.count - 1).0 == .outputFull)
    }

    @Test("a wrong CRC or size, damaged data, or not gzip at all is declined")
    func declined() {
        var wrongCRC = Self.member
        wrongCRC[wrongCRC.count - 8] ^= 0x01
        var wrongSize = Self.member
        wrongSize[wrongSize.count - 4] ^= 0x01
        var damaged = Self.member
        for index in 30..<60 { damaged[index] ^= 0x5A }
        let plain = Self.document
        for (name, input) in [("CRC", wrongCRC), ("size", wrongSize), ("damaged", damaged), ("plain", plain)] {
            #expect(Self.inflate(input).0 == .declined, "\(name)")
        }
    }
}
