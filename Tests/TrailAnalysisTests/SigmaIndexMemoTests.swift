import Testing

@testable import TrailAnalysis

@Suite("SigmaIndexMemo: an index's answers for short values, remembered exactly")
struct SigmaIndexMemoTests {
    /// Asks `memo` about `value` for index `index`, answering misses with `answer` and counting them.
    static func ask(
        _ memo: SigmaIndexMemo, _ index: Int, _ value: String, answer: (String) -> Int?, misses: inout Int
    ) -> Int? {
        var bytes = Array(value.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            memo.entry(index, UnsafeBufferPointer(buffer)) { asked in
                misses += 1
                return answer(String(decoding: asked!, as: UTF8.self))
            }
        }
    }

    @Test("every length from 1 to 24 bytes: a value met again is answered from the memo, one byte apart is not")
    func exactValues() {
        let memo = SigmaIndexMemo(indexes: 2)
        // The answer depends on every byte: the sum of the bytes, and none for odd sums.
        let answer = { (value: String) -> Int? in
            let sum = value.utf8.reduce(0) { $0 + Int($1) }
            return sum % 2 == 0 ? sum : nil
        }
        for length in 1...24 {
            let value = String(repeating: "a", count: length)
            var misses = 0
            let first = Self.ask(memo, 0, value, answer: answer, misses: &misses)
            #expect(Self.ask(memo, 0, value, answer: answer, misses: &misses) == first)
            #expect(misses == 1, "length \(length)")
            // The same length with any one byte changed is another value, whichever load covers that byte.
            for position in 0..<length {
                var bytes = Array(value.utf8)
                bytes[position] = UInt8(ascii: "b")
                let other = String(decoding: bytes, as: UTF8.self)
                var otherMisses = 0
                #expect(Self.ask(memo, 0, other, answer: answer, misses: &otherMisses) == answer(other))
                #expect(otherMisses == 1, "length \(length), byte \(position)")
            }
            // A prefix of the value is not the value.
            var prefixMisses = 0
            let prefix = String(value.dropLast())
            if !prefix.isEmpty {
                #expect(Self.ask(memo, 0, prefix, answer: answer, misses: &prefixMisses) == answer(prefix))
            }
        }
    }

    @Test("indexes keep their own answers; longer values and absent ones always ask the index")
    func perIndexAndLong() {
        let memo = SigmaIndexMemo(indexes: 2)
        var misses = 0
        #expect(Self.ask(memo, 0, "GetObject", answer: { _ in 3 }, misses: &misses) == 3)
        #expect(Self.ask(memo, 1, "GetObject", answer: { _ in nil }, misses: &misses) == nil)
        #expect(Self.ask(memo, 0, "GetObject", answer: { _ in 99 }, misses: &misses) == 3)
        #expect(Self.ask(memo, 1, "GetObject", answer: { _ in 99 }, misses: &misses) == nil)
        #expect(misses == 2)
        let long = "arn:aws:iam::111122223333:role/a-long-role-name"
        #expect(Self.ask(memo, 0, long, answer: { _ in 7 }, misses: &misses) == 7)
        #expect(Self.ask(memo, 0, long, answer: { _ in 8 }, misses: &misses) == 8)
        #expect(misses == 4)
        var absent = 0
        let answer = memo.entry(0, nil) { _ in
            absent += 1
            return nil
        }
        #expect(answer == nil)
        #expect(absent == 1)
    }

    @Test("values that share a slot replace each other and are still answered exactly")
    func collisions() {
        let memo = SigmaIndexMemo(indexes: 1)
        // Far more values than slots: each is answered right whether or not its slot was taken meanwhile.
        let values = (0..<5_000).map { "Event\($0)" }
        var misses = 0
        for (position, value) in values.enumerated() {
            #expect(Self.ask(memo, 0, value, answer: { _ in position }, misses: &misses) == position)
        }
        #expect(misses == values.count)
        // The last hundred asked again: most are still in the memo, the rest (their slot taken by a later one)
        // are asked again, and every answer is right either way.
        for (position, value) in values.enumerated().suffix(100) {
            #expect(Self.ask(memo, 0, value, answer: { _ in position }, misses: &misses) == position)
        }
        #expect(misses - values.count < 50)
    }
}
