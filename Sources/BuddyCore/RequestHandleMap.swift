/// The executor's request → handle map: which engine handle (`HandleTable`) an allocation
/// request's block was given, so a later `free(request:)` frees that block. A request whose
/// allocation failed, or that is already freed, has none (`handle(of:)` is -1) and its free is a
/// no-op.
///
/// Two forms, chosen per program by `Simulation.run`: `DenseRequestHandles`, one `Int32` slot
/// per request (a program held whole is already O(events), and a direct index is the cheapest
/// lookup), and `LiveRequestHandles`, which holds only the live requests (issue 25: a streamed
/// 10⁸-event trace's 5 × 10⁷ requests made the dense table 200 MB of a 394 MB replay).
public protocol RequestHandleMap {
    /// The handle request `r` holds, or -1 (failed, freed, or never allocated).
    func handle(of r: Int32) -> Int32
    /// Records the outcome of request `r`'s allocation: `h` its handle, negative when it failed.
    mutating func bind(_ r: Int32, to h: Int32)
    /// Forgets `r` once its block is freed (or reclaim took it back).
    mutating func unbind(_ r: Int32)
}

/// One slot per request id in `0..<count` (the executor's table for a program held whole).
public struct DenseRequestHandles: RequestHandleMap {
    @usableFromInline var slots: [Int32]
    public init(count: Int) { slots = [Int32](repeating: -1, count: count) }
    @inlinable @inline(__always) public func handle(of r: Int32) -> Int32 { slots[Int(r)] }
    @inlinable @inline(__always) public mutating func bind(_ r: Int32, to h: Int32) { slots[Int(r)] = h }
    @inlinable @inline(__always) public mutating func unbind(_ r: Int32) { slots[Int(r)] = -1 }
}

/// Live requests only: open addressing with linear probing and backward-shift deletion (no
/// tombstones, so a long replay's churn never clogs the probe runs), keyed by a multiplicative
/// (Fibonacci) hash of the request id — ids are consecutive, which the multiply spreads.
///
/// Capacity is a power of two kept at least twice the live entries, grown only when an insert
/// needs it: the table follows the peak of live requests (bounded by the machine's frames plus
/// the requests whose free never comes), never the trace's length. A failed allocation is not
/// stored at all. Raw storage, not an array: every alloc and free of a streamed replay probes
/// it, and up to two lookahead prefetches per free do too (see `HandleTable` for the cost of an
/// array's uniqueness check on this path).
public struct LiveRequestHandles: RequestHandleMap {
    /// A slot: the request id in the high half (`-1`: empty), its handle in the low half.
    @usableFromInline var slots: UnsafeMutablePointer<UInt64>
    @usableFromInline var mask: Int
    @usableFromInline var shift: UInt64
    public private(set) var count = 0
    @usableFromInline static let empty = UInt64.max

    public init(capacity: Int = 1024) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = .allocate(capacity: c)
        slots.initialize(repeating: Self.empty, count: c)
        mask = c - 1
        shift = UInt64(64 - c.trailingZeroBitCount)
    }

    /// Frees the storage; the map must not be used afterwards.
    public mutating func deallocate() { slots.deallocate(); count = 0; mask = 0 }

    /// Slots allocated (a power of two, at least 16 and at least twice `count`).
    public var capacity: Int { mask + 1 }

    @inlinable @inline(__always) func home(_ r: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: r)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
    @inlinable @inline(__always) static func key(_ slot: UInt64) -> Int32 { Int32(truncatingIfNeeded: slot >> 32) }

    @inlinable @inline(__always)
    public func handle(of r: Int32) -> Int32 {
        var i = home(r)
        while true {
            let s = slots[i]
            if s == Self.empty { return -1 }
            if Self.key(s) == r { return Int32(truncatingIfNeeded: s) }
            i = (i &+ 1) & mask
        }
    }

    @inlinable @inline(__always)
    public mutating func bind(_ r: Int32, to h: Int32) {
        // Request ids are unique, so a failed request was never stored: nothing to record.
        guard h >= 0 else { unbind(r); return }
        insert(r, h)
    }

    @usableFromInline mutating func insert(_ r: Int32, _ h: Int32) {
        let value = UInt64(UInt32(bitPattern: r)) << 32 | UInt64(UInt32(bitPattern: h))
        var i = home(r)
        while slots[i] != Self.empty {
            if Self.key(slots[i]) == r { slots[i] = value; return }
            i = (i &+ 1) & mask
        }
        if (count + 1) * 2 > capacity { grow(); insert(r, h); return }
        slots[i] = value
        count += 1
    }

    @inlinable @inline(__always)
    public mutating func unbind(_ r: Int32) {
        var i = home(r)
        while true {
            let s = slots[i]
            if s == Self.empty { return }
            if Self.key(s) == r { break }
            i = (i &+ 1) & mask
        }
        remove(at: i)
    }

    /// Backward shift: later entries of the probe run move into the hole unless their home lies
    /// cyclically in (hole, position], so every entry stays reachable from its home.
    @usableFromInline mutating func remove(at hole: Int) {
        var i = hole, j = hole
        while true {
            j = (j &+ 1) & mask
            let s = slots[j]
            if s == Self.empty { break }
            let k = home(Self.key(s))
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if stays { continue }
            slots[i] = s
            i = j
        }
        slots[i] = Self.empty
        count -= 1
    }

    @usableFromInline mutating func grow() {
        let old = slots, oldCapacity = capacity
        let c = oldCapacity * 2
        slots = .allocate(capacity: c)
        slots.initialize(repeating: Self.empty, count: c)
        mask = c - 1
        shift = UInt64(64 - c.trailingZeroBitCount)
        count = 0
        for i in 0..<oldCapacity where old[i] != Self.empty {
            insert(Self.key(old[i]), Int32(truncatingIfNeeded: old[i]))
        }
        old.deallocate()
    }
}
