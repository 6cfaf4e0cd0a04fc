/// The live traced pages of a trace replay: pfn → (request, order), one entry per page
/// allocated and not yet freed (`TraceMatcher`).
///
/// Open addressing with linear probing and backward-shift deletion, keyed by a multiplicative
/// (Fibonacci) hash of the pfn, instead of `Dictionary`: every trace record does one lookup
/// here, twice per replay (decode pass and stream), and `Dictionary`'s per-process-seeded
/// SipHash was 0.7 s of the 10⁷-event decode pass's 5 s (issue 25). Capacity is a power of
/// two kept at least twice the entries and grown only when an insert needs it, so the table is
/// sized by the peak of live pages, never by the trace's length.
struct LivePageTable {
    struct Entry {
        var pfn: Int
        var request: Int32
        var order: UInt8
    }
    private static let empty = Int.min
    private var slots: [Entry]
    private var shift: Int
    private(set) var count = 0

    init() {
        slots = Array(repeating: Entry(pfn: Self.empty, request: 0, order: 0), count: 16)
        shift = 64 - 4
    }

    /// Slots allocated (a power of two, at least 16, at most 4 × the peak of `count`).
    var capacity: Int { slots.count }

    @inline(__always) private func home(_ pfn: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(pfn)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// Inserts or replaces; true when `pfn` was already live (its old entry is replaced).
    @discardableResult
    mutating func update(pfn: Int, request: Int32, order: UInt8) -> Bool {
        let mask = slots.count - 1
        var i = home(pfn)
        while slots[i].pfn != Self.empty {
            if slots[i].pfn == pfn {
                slots[i].request = request; slots[i].order = order
                return true
            }
            i = (i + 1) & mask
        }
        if (count + 1) * 2 > slots.count {
            grow()
            return update(pfn: pfn, request: request, order: order)
        }
        slots[i] = Entry(pfn: pfn, request: request, order: order)
        count += 1
        return false
    }

    /// Removes and returns the entry of `pfn`, or nil when it is not live.
    mutating func remove(pfn: Int) -> Entry? {
        let mask = slots.count - 1
        var i = home(pfn)
        while slots[i].pfn != pfn {
            if slots[i].pfn == Self.empty { return nil }
            i = (i + 1) & mask
        }
        let found = slots[i]
        // Backward shift: pull later entries of the probe run into the hole unless their home
        // lies cyclically in (hole, position], so every entry stays reachable from its home.
        var j = i
        while true {
            j = (j + 1) & mask
            let p = slots[j].pfn
            if p == Self.empty { break }
            let k = home(p)
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if stays { continue }
            slots[i] = slots[j]
            i = j
        }
        slots[i].pfn = Self.empty
        count -= 1
        return found
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Entry(pfn: Self.empty, request: 0, order: 0), count: old.count * 2)
        shift -= 1
        count = 0
        for e in old where e.pfn != Self.empty { update(pfn: e.pfn, request: e.request, order: e.order) }
    }
}
