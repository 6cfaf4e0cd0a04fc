import BuddyCore
import BuddyVariants
import Testing

/// Per-cpu pagesets, pinned against the kernel's code (Debian linux-source-6.1 / 6.12,
/// mm/page_alloc.c). Machines: one Normal zone, x86_64, 4 KiB pages.
@Suite struct PerCPUPagesTests {
    /// 128 MiB: `zone_batchsize` = rounddown_pow_of_two(8 + 4) − 1 = 7 (32768 >> 10 = 32, /4 = 8);
    /// min_free_kbytes = int_sqrt(131072 × 16) = 1448 → min 362, low 452.
    static func machine128<S: StrategySet>(_: S.Type, cpus: Int = 1) -> Machine<S> {
        var l = layout(pages: 32768, block: 32768)
        l.cpus = cpus
        return Machine<S>(layout: l)
    }

    /// `zone_batchsize()` and `zone_highsize()` (v6.1): batch 7, high = low watermark / CPUs,
    /// at least 4 × batch; v6.7+ `zone_set_pageset_high_and_batch()`: high_min as 6.1's high,
    /// high_max = managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION (8) / CPUs.
    @Test func batchAndHighFromTheZoneSize() {
        let one = Self.machine128(Linux61.self)
        #expect(one.zone[0].wmarkLow == 452)
        #expect(one.pcpHighAndBatch(cpu: 0, zone: 0) == (high: 452, batch: 7))
        let two = Self.machine128(Linux61.self, cpus: 2)
        #expect(two.pcpHighAndBatch(cpu: 1, zone: 0) == (high: 226, batch: 7))
        let tuned = Self.machine128(Linux69.self, cpus: 2)
        #expect(tuned.pcpHighBounds(cpu: 0, zone: 0) == (min: 226, max: 2048))
        // A 16 MiB zone: batch 1 (4096 >> 10 = 4, /4 = 1 → rounddown_pow_of_two(1) − 1 = 0 → max(1, 0)).
        let small = Machine<Linux61>(layout: layout(pages: 4096))
        #expect(small.pcpHighAndBatch(cpu: 0, zone: 0) == (high: 160, batch: 1))
    }

    /// `rmqueue_pcplist()` on an empty list: `rmqueue_bulk()` takes `batch` pages from
    /// `__rmqueue` (the first max-order block on the MOVABLE list split by `expand`, so its
    /// first seven pages in physical order), appends them at the list's tail, subtracts all of
    /// them from NR_FREE_PAGES, and the first one is handed out.
    @Test func allocationOnAnEmptyListRefillsBatch() throws {
        let m = Self.machine128(Linux61.self)
        let block = try #require(m.listContents(zone: 0, order: 10, .movable).first)
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        #expect(Int(m.handlePfn[h]) == block)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 6)
        #expect(m.pcpListContents(cpu: 0, zone: 0, pindex: 1) == Array((block + 1)...(block + 6)))
        #expect(m.zone[0].nrFreePages == 32768 - 7)
        #expect(m.zone[0].allocatableFree == 32768 - 7)
        // Order 3 (v5.13+ high-order lists): batch scaled to max(7 >> 3, 2) = 2 blocks.
        _ = m.allocate(zone: 0, order: 3, type: .movable)
        #expect(m.pcpListContents(cpu: 0, zone: 0, pindex: PerCPUPages.pindex(.movable, order: 3)).count == 1)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 6 + 8)
        #expect(m.structuralViolations().isEmpty)
    }

    /// `free_unref_page()`: an order-0 free goes to the head of its pcp list; NR_FREE_PAGES,
    /// NR_FREE_CMA_PAGES and the free lists are untouched, the page is not PageBuddy.
    @Test func orderZeroFreeGoesToThePCPListAndChangesNeitherCounter() {
        for run in [pcpFreeRun(Linux61.self), pcpFreeRun(Linux69.self), pcpFreeRun(Linux610.self)] {
            #expect(run.listHead == run.freed)
            #expect(run.countersBefore == run.countersAfter)
            #expect(!run.isBuddy)
            #expect(run.pcpCount == 7)
            #expect(run.violations.isEmpty)
        }
    }

    func pcpFreeRun<S: StrategySet>(_: S.Type) -> (listHead: Int?, freed: Int, countersBefore: [Int], countersAfter: [Int],
                                                    isBuddy: Bool, pcpCount: Int, violations: [String]) {
        let m = Self.machine128(S.self)
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        let pfn = Int(m.handlePfn[h])
        let before = [m.zone[0].nrFreePages, m.zone[0].nrFreeCMAPages, m.zone[0].allocatableFree, m.nrFree[0]]
        m.free(handle: h)
        let after = [m.zone[0].nrFreePages, m.zone[0].nrFreeCMAPages, m.zone[0].allocatableFree, m.nrFree[0]]
        return (m.pcpListContents(cpu: 0, zone: 0, pindex: 1).first, pfn, before, after, m.isBuddy(pfn),
                m.pcpCount(cpu: 0, zone: 0), m.structuralViolations())
    }

    /// v6.1 `free_unref_page_commit()`: the free that brings `count` to `high` (452) calls
    /// `free_pcppages_bulk(nr_pcp_free())` = `batch << free_factor` = 7 pages (free_factor then
    /// becomes 1), taken from the tail of the freed page's list: the oldest pages first — here
    /// the two refill leftovers, then the first five frees. The next bulk frees 14.
    @Test func theFreeThatReachesHighReturnsBatchPagesOldestFirst() {
        let m = Self.machine128(Linux61.self)
        var handles: [Int] = []
        for _ in 0..<460 { handles.append(m.allocate(zone: 0, order: 0, type: .movable)) }
        // 66 refills of 7 = 462 pages taken from the buddy, 2 left on the list.
        let leftovers = m.pcpListContents(cpu: 0, zone: 0, pindex: 1)
        #expect(leftovers.count == 2)
        #expect(m.zone[0].nrFreePages == 32768 - 462)
        let pfns = handles.map { Int(m.handlePfn[$0]) }
        for k in 0..<449 { m.free(handle: handles[k]) }
        #expect(m.pcpCount(cpu: 0, zone: 0) == 451)
        #expect(m.zone[0].nrFreePages == 32768 - 462)
        m.free(handle: handles[449])                       // count reaches 452 = high
        #expect(m.pcpCount(cpu: 0, zone: 0) == 445)
        #expect(m.zone[0].nrFreePages == 32768 - 462 + 7)
        let expected = Array(pfns[5..<450].reversed())     // head first: newest … oldest kept
        #expect(m.pcpListContents(cpu: 0, zone: 0, pindex: 1) == expected)
        for pfn in leftovers + pfns[0..<5] { #expect(m.kind(pfn) != .pcp) }
        for k in 450..<457 { m.free(handle: handles[k]) }  // 445 + 7 = 452 again
        #expect(m.pcpCount(cpu: 0, zone: 0) == 452 - 14)
        #expect(m.structuralViolations().isEmpty)
    }

    /// v6.1 `free_unref_page_commit()`: once a bulk free has raised `free_factor`, a free of
    /// order 1..PAGE_ALLOC_COSTLY_ORDER is `free_high`: `nr_pcp_high()` returns 0 and
    /// `nr_pcp_free()` the whole `pcp->count` — every list of the set goes back to the buddy.
    @Test func aHighOrderFreeAfterABulkFreeDrainsTheWholeSet() {
        let m = Self.machine128(Linux61.self)
        let x = m.allocate(zone: 0, order: 1, type: .movable)
        var handles: [Int] = []
        for _ in 0..<460 { handles.append(m.allocate(zone: 0, order: 0, type: .movable)) }
        // 4 pages of order-1 leftovers + 2 order-0 leftovers: the 446th free reaches high (452),
        // bulk-frees 7 (free_factor becomes 1), four more frees follow.
        for k in 0..<450 { m.free(handle: handles[k]) }
        #expect(m.pcpCount(cpu: 0, zone: 0) == 452 - 7 + 4)
        m.free(handle: x)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 0)
        #expect(m.totalPCPPages == 0)
        #expect(m.drift().nrFreePages == 0)
        #expect(m.structuralViolations().isEmpty)
    }

    /// v6.7+ `nr_pcp_alloc()` (6.12 source): each order-0 refill grows `pcp->high` by the batch it
    /// asks for (not below high watermark, high_min ≠ high_max) and doubles the batch
    /// (`alloc_factor`) while allocations run without frees: 7, then 14, then 28 pages.
    @Test func tunedHighGrowsWithEachRefill() {
        let m = Self.machine128(Linux69.self)
        _ = m.allocate(zone: 0, order: 0, type: .movable)
        #expect(m.pcpHighAndBatch(cpu: 0, zone: 0).high == 452 + 7)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 6)
        for _ in 0..<6 { _ = m.allocate(zone: 0, order: 0, type: .movable) }
        #expect(m.pcpCount(cpu: 0, zone: 0) == 0)
        _ = m.allocate(zone: 0, order: 0, type: .movable)   // refill of 7 << 1
        #expect(m.pcpHighAndBatch(cpu: 0, zone: 0).high == 452 + 7 + 14)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 13)
        for _ in 0..<13 { _ = m.allocate(zone: 0, order: 0, type: .movable) }
        _ = m.allocate(zone: 0, order: 0, type: .movable)   // refill of 7 << 2
        #expect(m.pcpCount(cpu: 0, zone: 0) == 27)
        #expect(m.zone[0].nrFreePages == 32768 - 7 - 14 - 28)
    }

    /// Drains: `alloc_contig_range()` calls `drain_all_pages(zone)` after isolating;
    /// `offline_pages()` holds `zone_pcp_disable()` (high 0, batch 1, every CPU drained) and
    /// restores the zone's high and batch with `zone_pcp_enable()`; `start_isolate_page_range`
    /// alone (a scripted isolate) does not drain in v6.1.
    @Test func isolationByContigAndOfflineDrain() {
        let m = Self.machine128(Linux61.self, cpus: 2)
        m.currentCPU = 0
        let a = m.allocate(zone: 0, order: 0, type: .movable)
        m.currentCPU = 1
        let b = m.allocate(zone: 0, order: 0, type: .unmovable)
        m.free(handle: b)
        m.currentCPU = 0                                   // a free runs on the freeing CPU
        m.free(handle: a)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 7 && m.pcpCount(cpu: 1, zone: 0) == 7)
        let moved = m.startIsolatePageRange2022(0x7c00, 0x7e00, restore: .movable, forCMA: false)
        #expect(moved.result == .ok)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 7, "start_isolate_page_range does not drain")
        m.undoIsolatePageRange(0x7c00, 0x7e00, to: .movable)
        let r = m.allocContigRange(0x400, 0x600)
        #expect(r.result == .ok)
        #expect(m.pcpCount(cpu: 0, zone: 0) == 0 && m.pcpCount(cpu: 1, zone: 0) == 0)
        #expect(m.drift().nrFreePages == 0)
        m.freeContigRange(0x400, pages: 0x200)
        // Refill both CPUs again, then offline the memory block (the whole zone here would
        // leave nothing: use a two-block machine).
        var l = layout(pages: 65536, block: 32768); l.cpus = 2
        let o = Machine<Linux61>(layout: l)
        let highBefore = o.pcpHighAndBatch(cpu: 1, zone: 0)
        o.currentCPU = 1
        let c = o.allocate(zone: 0, order: 0, type: .movable)
        o.free(handle: c)
        #expect(o.pcpCount(cpu: 1, zone: 0) > 0)
        #expect(o.offlineBlock(0).result == .ok)
        #expect(o.pcpCount(cpu: 0, zone: 0) == 0 && o.pcpCount(cpu: 1, zone: 0) == 0)
        // Back to the zone's values — recomputed for the smaller zone by init_per_zone_wmark_min.
        #expect(o.pcpHighAndBatch(cpu: 1, zone: 0).batch == o.pcpBatchSize(zone: 0))
        #expect(o.pcpHighAndBatch(cpu: 1, zone: 0).high == max(o.zone[0].wmarkLow / 2, o.pcpBatchSize(zone: 0) * 4))
        #expect(highBefore.batch == 15)
        #expect(o.structuralViolations().isEmpty)
    }

    /// The stale pcp migratetype (kernel-reference §2.4): a MOVABLE page freed to the pcp list,
    /// then its pageblock claimed by an UNMOVABLE fallback (`steal_suitable_fallback` moves the
    /// block's free pages and retypes it; the pcp page is not PageBuddy so it is not moved).
    /// At the drain, v6.1/v6.9 free it with the cached MOVABLE (`get_pcppage_migratetype`):
    /// it lands on the MOVABLE list of an UNMOVABLE block. v6.10 reads the pageblock in
    /// `free_pcppages_bulk` and puts it on the UNMOVABLE list.
    @Test func pageFreedBeforeItsBlockIsStolenLandsOnTheWrongListUntil610() {
        let cases: [(String, (list: MigrateType, misplaced: Int))] = [
            ("linux-6.1", staleRun(Linux61.self)), ("linux-6.9", staleRun(Linux69.self)),
            ("linux-6.10", staleRun(Linux610.self)), ("linux-6.12", staleRun(Linux612.self)),
        ]
        #expect(cases[0].1.list == .movable && cases[0].1.misplaced == 1)
        #expect(cases[1].1.list == .movable && cases[1].1.misplaced == 1)
        #expect(cases[2].1.list == .unmovable && cases[2].1.misplaced == 0)
        #expect(cases[3].1.list == .unmovable && cases[3].1.misplaced == 0)
    }

    /// 16 MiB, batch 1: every refill takes one page. P is the first page of a max-order block B
    /// (which one depends on the era's boot order, head or tail placement).
    func staleRun<S: StrategySet>(_: S.Type) -> (list: MigrateType, misplaced: Int) {
        let m = Machine<S>(layout: layout(pages: 4096))
        let p = m.allocate(zone: 0, order: 0, type: .movable)
        let pfn = Int(m.handlePfn[p])
        #expect(pfn & 0x3ff == 0)
        m.free(handle: p)                                  // on the pcp list, cached MOVABLE
        for _ in 0..<3 { _ = m.allocate(zone: 0, order: 10, type: .movable) }   // the other three blocks
        let thp = m.allocate(zone: 0, order: 9, type: .movable)                // B's upper half (THP list)
        #expect(Int(m.handlePfn[thp]) == pfn + 0x200)
        // The UNMOVABLE request falls back to B's order-8 piece and claims P's pageblock (511 free
        // pages ≥ half a block); P, on the pcp list, is not PageBuddy and is not moved.
        let u = m.allocate(zone: 0, order: 0, type: .unmovable)
        #expect(Int(m.handlePfn[u]) == pfn + 1)
        #expect(m.blockType(pfn) == .unmovable)
        #expect(m.kind(pfn) == .pcp)
        m.drainAllPages(zone: nil)
        #expect(m.isBuddy(pfn))
        #expect(m.structuralViolations().isEmpty)
        return (m.listType(pfn), m.misplacedFreePages)
    }
}
