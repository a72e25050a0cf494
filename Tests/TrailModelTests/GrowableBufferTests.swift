import Testing
import TrailModel

@Suite("GrowableBuffer: elements kept in place through growth, moved out whole")
struct GrowableBufferTests {
    /// How many `Tracked` of one test case are alive (each case its own: the cases run in parallel).
    final class Census {
        var alive = 0
    }

    /// An element that counts itself, to see that each is deinitialized exactly once.
    final class Tracked {
        let value: Int
        let census: Census
        init(_ value: Int, _ census: Census) {
            self.value = value
            self.census = census
            census.alive += 1
        }
        deinit { census.alive -= 1 }
    }

    @Test(
        "elements survive every doubling, move out in order, and are freed once",
        arguments: [1, 2, 63, 64, 65, 5_000])
    func growAndMove(count: Int) {
        let census = Census()
        var buffer = GrowableBuffer<(Tracked, String)>(capacity: 1)
        for index in 0..<count { buffer.append((Tracked(index, census), "value number \(index) of the buffer")) }
        #expect(buffer.count == count)
        #expect(census.alive == count)
        #expect((0..<count).allSatisfy { buffer[$0].pointee.0.value == $0 })
        #expect(buffer[count - 1].pointee.1 == "value number \(count - 1) of the buffer")

        var moved = [(Tracked, String)](unsafeUninitializedCapacity: count) { destination, initialized in
            initialized = buffer.moveAll(to: destination.baseAddress!)
        }
        #expect(buffer.count == 0)
        #expect(moved.map(\.0.value) == Array(0..<count))
        #expect(census.alive == count)
        buffer.append((Tracked(-1, census), "removed"))
        buffer.removeAll()
        buffer.deallocate()
        #expect(census.alive == count)
        moved.removeAll()
        #expect(census.alive == 0)
    }
}
