/// Handles of workload allocations: handle → pfn of the allocated head (`frameNil` once freed),
/// and a stack of released handles reused most-recent-first.
///
/// Raw, growable storage rather than two `[UInt32]`: on every alloc and free an array pays a
/// uniqueness check (an out-of-line runtime call, about 1.5 % of the samples of the 1 GiB
/// order-0 churn profile) and a bounds check. Growth doubles, so appends are
/// amortised O(1) and no event allocates once the table has reached its working size.
public struct HandleTable {
    @usableFromInline var pfns: UnsafeMutablePointer<UInt32>
    @usableFromInline var released: UnsafeMutablePointer<UInt32>
    /// Handles issued so far (valid handles are `0..<count`).
    @usableFromInline var _count: Int
    public var count: Int { _count }
    @usableFromInline var releasedCount: Int
    @usableFromInline var capacity: Int

    /// Slots a new table starts with (`Bookkeeping` makes it so); it doubles from there.
    public static let initialCapacity = 1024

    public init(capacity: Int = HandleTable.initialCapacity) {
        self.capacity = max(capacity, 16)
        pfns = .allocate(capacity: self.capacity)
        released = .allocate(capacity: self.capacity)
        _count = 0
        releasedCount = 0
    }

    /// Frees the storage; the table must not be used afterwards (called from `Machine.deinit`).
    public mutating func deallocate() {
        pfns.deallocate(); released.deallocate()
        _count = 0; releasedCount = 0; capacity = 0
    }

    /// The pfn a live handle names, `frameNil` for a freed one. `h` must be in `0..<count`.
    @inlinable @inline(__always)
    public subscript(h: Int) -> UInt32 {
        get { pfns[h] }
        set { pfns[h] = newValue }
    }

    /// Whether `h` names an entry of the table (live or freed).
    @inlinable @inline(__always)
    public func contains(_ h: Int) -> Bool { h >= 0 && h < _count }

    /// Address of an entry, for prefetching ahead of a free.
    @inlinable @inline(__always)
    public func address(of h: Int) -> UnsafeMutablePointer<UInt32> { pfns + h }

    /// A handle for a new allocated head at `pfn`: the most recently released one, else a new one.
    @inlinable @inline(__always)
    public mutating func issue(pfn: UInt32) -> Int {
        if releasedCount > 0 {
            releasedCount &-= 1
            let h = Int(released[releasedCount])
            pfns[h] = pfn
            return h
        }
        if _count == capacity { grow() }
        pfns[_count] = pfn
        _count &+= 1
        return _count &- 1
    }

    /// Marks `h` freed and makes it reusable.
    @inlinable @inline(__always)
    public mutating func release(_ h: Int) {
        pfns[h] = frameNil
        released[releasedCount] = UInt32(truncatingIfNeeded: h)   // releasedCount < count ≤ capacity
        releasedCount &+= 1
    }

    @usableFromInline mutating func grow() {
        let newCapacity = capacity * 2
        let newPfns = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newPfns.moveInitialize(from: pfns, count: count)
        pfns.deallocate(); pfns = newPfns
        let newReleased = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newReleased.moveInitialize(from: released, count: releasedCount)
        released.deallocate(); released = newReleased
        capacity = newCapacity
    }

    /// `(handle, pfn)` of every live handle, in handle order (invariant checks, tests).
    public var live: [(handle: Int, pfn: Int)] {
        (0..<count).compactMap { pfns[$0] == frameNil ? nil : ($0, Int(pfns[$0])) }
    }
}
