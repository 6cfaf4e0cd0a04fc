import BuddyCore
import BuddyVariants
import Testing

/// mm/compaction.c (Debian 6.1.192 and 6.12.118 trees) on a one-zone machine without pcp lists.
@Suite struct CompactionTests {
    /// 4096 pages (8 pageblocks of 512), every page an order-0 movable allocation, then the odd
    /// pages of pageblocks `freed` freed: 256 free order-0 pages in each, nothing above order 0.
    static let base = 0x8000
    static func fragmented<S: StrategySet>(_: S.Type, freed: Range<Int> = 0..<8) -> (Machine<S>, [Int]) {
        var l = layout(pages: 4096, ramStart: base)
        l.perCPUListsEnabled = false
        let m = Machine<S>(layout: l)
        m.compactionEnabled = true
        var handles: [Int] = []
        for p in base..<(base + 4096) { handles.append(m.allocate(atPfn: p, order: 0, type: .movable, compound: false).1) }
        for (i, h) in handles.enumerated() where i & 1 == 1 && freed.contains(i >> 9) { m.free(handle: h) }
        return (m, handles)
    }

    @Test func smoke() {
        let (m, _) = Self.fragmented(Linux61.self)
        print("wmark", m.zone[0].wmarkMin, m.zone[0].wmarkLow, m.zone[0].wmarkHigh, "free", m.zone[0].nrFreePages,
              "fragindex", m.fragmentationIndex(zone: 0, order: 9))
        let r = m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
        print(r, m.compactionCounters, m.zoneCompaction(0))
        print(m.structuralViolations())
        let (m2, _) = Self.fragmented(Linux612.self)
        let r2 = m2.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
        print(r2, m2.compactionCounters, m2.zoneCompaction(0))
        print(m2.structuralViolations())
        let (m3, _) = Self.fragmented(Linux61.self)
        print(m3.compactMemory(zone: 0), m3.compactionCounters, m3.procBuddyinfo())
    }
}
