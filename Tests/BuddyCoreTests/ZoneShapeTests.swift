import Testing
import BuddyCore
import BuddyVariants

/// Real zone shapes (issue 10): zones that start at any pfn, holes, zone boundaries inside
/// pageblocks and memory blocks.
@Suite struct ZoneShapeTests {
    /// ZONE_DMA as on a PC (zoneinfo of a 6.18 x86_64 guest: start_pfn 1, spanned 4095, present
    /// 3998 with the hole at 0x9f–0xff), DMA32 to 40 MiB, Normal to 64 MiB; 16 MiB blocks.
    static let pcLike = MachineLayout(
        geometry: .x86_64, ramStartPfn: 0,
        zones: [ZoneSpec(name: "DMA", pages: 4095, start: 1, holes: [0x9f..<0x100]),
                ZoneSpec(name: "DMA32", pages: 0x1800),
                ZoneSpec(name: "Normal", pages: 0x1800)],
        memoryBlockPages: 0x1000)

    @Test func layoutResolvesSpansHolesAndAbsentMemory() {
        let l = Self.pcLike
        #expect(l.validate() == nil)
        #expect([l.zoneStart(0), l.zoneStart(1), l.zoneStart(2)] == [1, 0x1000, 0x2800])
        #expect(l.zones.map(\.presentPages) == [3998, 0x1800, 0x1800])
        #expect(l.totalPages == 0x4000)
        #expect(l.absentRanges == [0..<1, 0x9f..<0x100])
    }

    /// `free_area_init` / `memblock_free_all`: only present pages reach the buddy allocator, in
    /// the largest aligned blocks each present range allows (pfn 1 is order 0, 2 order 1 …);
    /// NR_FREE_PAGES = present; /proc/zoneinfo shows spanned, present and managed.
    @Test func bootFreesOnlyPresentPagesAndZoneinfoMatchesTheLayout() {
        let m = Machine<Mainline519>(layout: Self.pcLike)
        #expect(m.structuralViolations().isEmpty)
        #expect((0..<3).map { m.zone[$0].nrFreePages } == [3998, 0x1800, 0x1800])
        #expect(m.kind(0) == .reserved && m.kind(0x9f) == .reserved && m.kind(0xff) == .reserved)
        #expect(m.isBuddy(1) && m.order(1) == 0 && m.isBuddy(2) && m.order(2) == 1)
        #expect(m.isBuddy(0x80) && m.order(0x80) == 4 && m.isBuddy(0x9e) && m.order(0x9e) == 0)
        #expect(m.isBuddy(0x100) && m.order(0x100) == 8)
        #expect(m.zoneOf(0x27ff) == 1 && m.zoneOf(0x2800) == 2)
        let info = m.procZoneinfo()
        #expect(info.contains("Node 0, zone      DMA\n  pages free     3998\n"))
        #expect(info.contains("        spanned  4095\n        present  3998\n        managed  3998\n"))
        #expect(info.contains("  start_pfn:           1\n"))
        #expect(info.contains("        spanned  6144\n        present  6144\n        managed  6144\n        cma      0\n  start_pfn:           10240\n"))
        // pagetypeinfo_showblockcount: pfns 1, 513, … 3585 → 8 DMA pageblocks.
        #expect(m.procPagetypeinfo().contains("Node 0, zone      DMA            0            8"))
    }

    /// `offline_pages()` (v5.18 / v5.19): a block with holes is -EINVAL (v5.5+ "memory holes"); a block two
    /// zones share fails `test_pages_in_a_zone()` with -EINVAL (every era); a block inside one
    /// zone goes offline, and present/managed drop by its size.
    @Test func offlineRefusesHolesAndMultiZoneBlocks() {
        func check<S: StrategySet>(_: S.Type) {
            let m = Machine<S>(layout: Self.pcLike)
            #expect(m.offlineBlock(0).result == .einval)
            #expect(m.offlineBlock(2).result == .einval)
            #expect(m.offlineBlock(3).result == .ok)
            #expect(m.zone[2].presentPages == 0x800 && m.zone[2].managedPages == 0x800)
            #expect(m.onlineBlock(3).result == .ok)
            #expect(m.zone[2].presentPages == 0x1800)
            #expect(m.structuralViolations().isEmpty)
            #expect(m.drift().nrFreePages == 0)
        }
        check(Mainline518.self); check(Mainline519.self)
    }

    /// Before v5.5 (c5e79ef561b0 added the "memory holes" -EINVAL to `offline_pages`) nothing
    /// checks holes: `start_isolate_page_range` → `set_migratetype_isolate` →
    /// `has_unmovable_pages` meets the PG_reserved page at pfn 0 (v3.8 / v3.18 mm/page_alloc.c)
    /// and offline fails with -EBUSY. The other blocks behave as in every era.
    @Test func beforeV510OfflineOfABlockWithHolesIsEbusy() {
        func check<S: StrategySet>(_: S.Type) {
            let m = Machine<S>(layout: Self.pcLike)
            let r = m.offlineBlock(0)
            #expect(r.result == .ebusy)
            #expect(r.detail == "isolation failed at pfn 0x0: a memory hole's reserved page (has_unmovable_pages)")
            #expect(m.blockOnline[0] && m.blockType(0x200) == .movable)
            #expect(m.offlineBlock(2).result == .einval)
            #expect(m.offlineBlock(3).result == .ok)
            #expect(m.onlineBlock(3).result == .ok)
            #expect(m.structuralViolations().isEmpty)
        }
        check(Linux38.self); check(Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules318, Era2014>.self)
    }

    /// A pageblock two zones share: `move_freepages_block` clamps to the zone (start → pfn when
    /// the block starts below the zone; nothing when it ends beyond it), and `page_is_buddy`
    /// never merges across the boundary. Zones split at pfn 0x300, inside pageblock 1.
    @Test func zoneBoundaryInsideAPageblock() {
        let l = MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                              zones: [ZoneSpec(name: "DMA", pages: 0x300), ZoneSpec(name: "Normal", pages: 0x500)],
                              memoryBlockPages: 0x400)
        let m = Machine<Mainline518>(layout: l)
        #expect(m.zoneOf(0x2ff) == 0 && m.zoneOf(0x300) == 1)
        #expect(m.isBuddy(0x200) && m.order(0x200) == 8 && m.isBuddy(0x300) && m.order(0x300) == 8)
        #expect(m.moveFreepagesBlock(0x200, to: .unmovable).moved == 0)    // DMA: the block ends beyond DMA
        #expect(m.moveFreepagesBlock(0x300, to: .unmovable).moved == 256)  // Normal: starts at 0x300
        #expect(m.offlineBlock(0).result == .einval)
        #expect(m.structuralViolations().isEmpty)
    }

    /// Seeded alloc/free churn on the PC-like layout keeps the engine sound and the counters exact.
    @Test func churnOnAHoledMultiZoneMachineStaysSound() {
        var rng = SplitMix64(seed: 7)
        let m = Machine<Mainline519>(layout: Self.pcLike)
        var live: [Int] = []
        for _ in 0..<20000 {
            if live.isEmpty || rng.next() % 100 < 60 {
                let z = Int(rng.next() % 3)
                let h = m.allocate(zone: z, order: Int(rng.next() % 4), type: AllocType(rawValue: UInt8(rng.next() % 3))!)
                if h >= 0 { live.append(h) }
            } else {
                m.free(handle: live.remove(at: Int(rng.next() % UInt64(live.count))))
            }
        }
        #expect(m.structuralViolations().isEmpty)
        let d = m.drift()
        #expect(d.nrFreePages == 0 && d.nrFreeBlocks == 0 && d.nrFreeOrderMismatch == 0)
        for h in live { m.free(handle: h) }
        #expect((0..<3).map { m.zone[$0].nrFreePages } == [3998, 0x1800, 0x1800])
        #expect(m.structuralViolations().isEmpty)
    }
}
