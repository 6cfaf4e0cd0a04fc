import BuddyCore
import BuddyVariants
import Testing

/// The v6.x allocator terms of `Era61` / `Era67` (v6.1 / v6.12 mm/page_alloc.c):
/// `setup_per_zone_lowmem_reserve`, ALLOC_NOFRAGMENT (`alloc_flags_nofragment`,
/// `__rmqueue_fallback`'s `min_order`, `get_page_from_freelist`'s retry) and
/// `unreserve_highatomic_pageblock` from `__alloc_pages_direct_reclaim`. The 2022 era does not
/// model them (v5.18/5.19 had all three; kept off so its published results stay put).
@Suite struct V6AllocatorTermsTests {
    /// DMA 16 MiB, DMA32 32 MiB, Normal 64 MiB, per-cpu lists off (every request reaches the buddy).
    static func pcLayout() -> MachineLayout {
        var l = layout(zones: [ZoneSpec(name: "DMA", pages: 4096), ZoneSpec(name: "DMA32", pages: 8192),
                               ZoneSpec(name: "Normal", pages: 16384)])
        l.memoryBlockPages = 4096
        l.perCPUListsEnabled = false
        return l
    }

    /// `setup_per_zone_lowmem_reserve` with ratios 256/256/32: DMA keeps 8192/256 = 32 from a
    /// DMA32 request and (8192+16384)/256 = 96 from a Normal one; DMA32 keeps 16384/256 = 64 from
    /// a Normal one; a zone's own column and Normal's row are 0.
    @Test func lowmemReserveFollowsTheRatios() {
        let m = Machine<Linux61>(layout: Self.pcLayout())
        #expect(m.lowmemReserve(zone: 0, classzone: 1) == 32)
        #expect(m.lowmemReserve(zone: 0, classzone: 2) == 96)
        #expect(m.lowmemReserve(zone: 1, classzone: 2) == 64)
        #expect(m.lowmemReserve(zone: 1, classzone: 1) == 0)
        #expect(m.lowmemReserve(zone: 2, classzone: 2) == 0)
        let old = Machine<V519>(layout: Self.pcLayout())
        #expect(old.lowmemReserve(zone: 0, classzone: 2) == 0)
    }

    /// GFP_KERNEL-style requests along the zonelist until one fails. min_free_kbytes =
    /// int_sqrt(28672·4·16) = 1354 → 338 pages, shared 48 / 96 / 193 by managed pages. Order-0
    /// `__zone_watermark_ok` passes while free > min + lowmem_reserve[Normal]: Normal gives
    /// 16384−193, DMA32 8192−(96+64), DMA 4096−(48+96) = 28175 pages under linux-6.1; without the
    /// reserve (the 2022 era as modelled) DMA32 and DMA give 64 and 96 more: 28335.
    @Test func zonelistFallbackKeepsTheLowmemReserveFree() {
        let new = fillAlongZonelist(Machine<Linux61>(layout: Self.pcLayout()))
        let old = fillAlongZonelist(Machine<V519>(layout: Self.pcLayout()))
        #expect(new.mins == [48, 96, 193] && old.mins == [48, 96, 193])
        #expect(new.allocated == 28175)
        #expect(new.free == [144, 160, 193])
        #expect(old.allocated == 28335)
        #expect(old.free == [48, 96, 193])
    }

    func fillAlongZonelist<S>(_ m: Machine<S>) -> (allocated: Int, free: [Int], mins: [Int]) {
        var n = 0
        while m.allocate(zone: nil, order: 0, type: .unmovable) >= 0 { n += 1 }
        #expect(m.structuralViolations().isEmpty)
        return (n, (0..<3).map { m.zone[$0].nrFreePages }, (0..<3).map { m.zone[$0].wmarkMin })
    }

    /// DMA32 (0–2047) and Normal (2048–4095); one movable page pinned at the start of each
    /// Normal pageblock, so Normal's free pages are MOVABLE blocks of order 0…8 only.
    static func fragmentedNormal<S>(_: S.Type) -> Machine<S> {
        var l = layout(zones: [ZoneSpec(name: "DMA32", pages: 2048), ZoneSpec(name: "Normal", pages: 2048)])
        l.memoryBlockPages = 2048
        l.perCPUListsEnabled = false
        let m = Machine<S>(layout: l)
        for pfn in [2048, 2560, 3072, 3584] {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: nil).0 == .ok)
        }
        return m
    }

    /// linux-6.1: the preferred zone is Normal and a DMA32 zone exists, so the first pass has
    /// ALLOC_NOFRAGMENT; Normal has no UNMOVABLE page and no fallback block of order ≥
    /// pageblock_order, so its `__rmqueue` fails and the walk goes on to DMA32, where the
    /// top-down fallback takes the head of the order-10 MOVABLE list whole (both its pageblocks
    /// become UNMOVABLE) and the request gets its first page. Normal is untouched.
    @Test func noFragmentTakesAWholeDMA32BlockBeforeStealingInNormal() {
        noFragmentCase(Linux61.self)
        noFragmentCase(Linux612.self)   // the v6.10 hygiene `__rmqueue` takes the same block
    }

    func noFragmentCase<S: StrategySet>(_: S.Type) {
        let m = Self.fragmentedNormal(S.self)
        let head = Int(m.listHead[m.listIndex(0, 10, .movable)])
        #expect(m.listCount[m.listIndex(0, 10, .movable)] == 2)
        let expected = m.pfnOf(head)
        let h = m.allocate(zone: nil, order: 0, type: .unmovable)
        #expect(h >= 0)
        #expect(Int(m.handlePfn[h]) == expected)
        #expect(m.blockType(expected) == .unmovable && m.blockType(expected + 512) == .unmovable)
        #expect([2048, 2560, 3072, 3584].allSatisfy { m.blockType($0) == .movable })
        #expect(m.structuralViolations().isEmpty)
    }

    /// With per-cpu lists on (linux-6.1): the empty pcp list is refilled by `rmqueue_bulk`,
    /// whose `__rmqueue` calls run under the same NOFRAGMENT pass, so the page still comes from
    /// DMA32 and no Normal block is stolen.
    @Test func noFragmentAppliesToThePcpRefill() {
        var l = layout(zones: [ZoneSpec(name: "DMA32", pages: 2048), ZoneSpec(name: "Normal", pages: 2048)])
        l.memoryBlockPages = 2048
        let m = Machine<Linux61>(layout: l)
        for pfn in [2048, 2560, 3072, 3584] {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: nil).0 == .ok)
        }
        let h = m.allocate(zone: nil, order: 0, type: .unmovable)
        #expect(h >= 0 && m.zoneOf(Int(m.handlePfn[h])) == 0)
        #expect([2048, 2560, 3072, 3584].allSatisfy { m.blockType($0) == .movable })
    }

    /// Without the term (the 2022 era as modelled): `__rmqueue_fallback` in Normal takes the
    /// head of the highest non-empty fallback order, order 8 at 3840 (3584's block, split last),
    /// claims that block (511 free ≥ 256), and `__rmqueue_smallest` returns its order-0 page 3585.
    @Test func withoutNoFragmentTheRequestStealsInNormal() {
        let m = Self.fragmentedNormal(V519.self)
        let h = m.allocate(zone: nil, order: 0, type: .unmovable)
        #expect(h >= 0)
        #expect(Int(m.handlePfn[h]) == 3585)
        #expect(m.blockType(3584) == .unmovable)
        #expect(m.blockType(0) == .movable && m.blockType(1024) == .movable)
    }

    /// When no zone has a whole fallback block either, the NOFRAGMENT pass fails everywhere and
    /// the retry without the flag steals in Normal, exactly as the 2022 era does.
    @Test func noFragmentRetriesWithoutTheFlag() {
        let m = Self.fragmentedNormal(Linux61.self)
        for pfn in [0, 512, 1024, 1536] {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: nil).0 == .ok)
        }
        let h = m.allocate(zone: nil, order: 0, type: .unmovable)
        #expect(h >= 0)
        #expect(Int(m.handlePfn[h]) == 3585)
        #expect(m.blockType(3584) == .unmovable && m.blockType(1536) == .movable)
        #expect(!m.book.pointee.noFragmentPass)
    }

    /// One zone of 256 MiB (min 512), pages 0x200 and 0x600 taken at order 9, blocks 0x0 and
    /// 0x400 reserved HIGHATOMIC (1024 pages, the 1 % cap). Order-0 movable requests pass while
    /// free − nr_reserved_highatomic > 512: 64512 − 1536 = 62976 succeed; the next fails, and
    /// linux-6.1 releases the reserve's first block (0x0, the head of the order-9 HIGHATOMIC
    /// list; 1024 > one pageblock, so no `force` is needed) and retries: 512 more succeed until
    /// free = 1024; then the reserve is one pageblock and is kept. The 2022 era (no unreserve
    /// modelled) stops at 62976 with both blocks reserved.
    @Test func aFailingAllocationReleasesAHighatomicBlock() {
        let new = fillWithReserve(Linux61.self)
        #expect(new.allocated == 63488)
        #expect(new.reserved == 512)
        #expect(new.types == [.movable, .highatomic])
        let old = fillWithReserve(V519.self)
        #expect(old.allocated == 62976)
        #expect(old.reserved == 1024)
        #expect(old.types == [.highatomic, .highatomic])
    }

    func fillWithReserve<S: StrategySet>(_: S.Type) -> (allocated: Int, reserved: Int, types: [MigrateType]) {
        var l = layout(pages: 65536, block: 32768)
        l.perCPUListsEnabled = false
        let m = Machine<S>(layout: l)
        #expect(m.zone[0].wmarkMin == 512)
        _ = m.allocate(atPfn: 0x200, order: 9, type: .movable, compound: nil)
        _ = m.allocate(atPfn: 0x600, order: 9, type: .movable, compound: nil)
        #expect(m.reserveHighatomicPageblock(0x0) == .ok && m.reserveHighatomicPageblock(0x400) == .ok)
        var n = 0
        while m.allocate(zone: 0, order: 0, type: .movable) >= 0 { n += 1 }
        #expect(m.structuralViolations().isEmpty)
        return (n, m.zone[0].nrReservedHighatomic, [m.blockType(0x0), m.blockType(0x400)])
    }
}
