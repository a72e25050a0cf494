/// Elements in memory grown by doubling and reached through pointers, for hot paths: reading a field through an
/// `Array` copies the element (retaining its parts) or checks uniqueness, and records that must leave whole are
/// moved out here rather than copied.
///
/// A value without a deinitializer: its owner calls ``removeAll()`` (for elements that need deinitializing) and then
/// ``deallocate()``, once, and never uses a copy of it afterwards.
public struct GrowableBuffer<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    /// The elements held, at `0..<count`.
    public var count: Int { used }
    @usableFromInline var used = 0

    /// Allocates room for `capacity` elements (at least one).
    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// The element at `index`, in place.
    @inlinable
    public subscript(index: Int) -> UnsafeMutablePointer<Element> { base + index }

    /// Adds `element` at the end, moving the others to memory twice the size when full.
    @inlinable
    public mutating func append(_ element: consuming Element) {
        if used == capacity { grow() }
        (base + used).initialize(to: element)
        used += 1
    }

    @usableFromInline
    mutating func grow() {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        grown.moveInitialize(from: base, count: used)
        base.deallocate()
        base = grown
        capacity *= 2
    }

    /// Deinitializes every element, keeping the memory.
    public mutating func removeAll() {
        base.deinitialize(count: used)
        used = 0
    }

    /// Moves every element to `destination` (room for ``count``), leaving none here.
    /// - Returns: how many were moved.
    public mutating func moveAll(to destination: UnsafeMutablePointer<Element>) -> Int {
        let moved = used
        destination.moveInitialize(from: base, count: moved)
        used = 0
        return moved
    }

    /// Frees the memory; the elements must have been removed or moved out.
    public func deallocate() { base.deallocate() }
}
