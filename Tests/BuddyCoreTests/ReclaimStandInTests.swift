import BuddyCore
import BuddyVariants
import Testing

/// The reclaim stand-in (Reclaim/, docs/reclaim.md): LRU order, swap, SWAP_CLUSTER_MAX per
/// direct-reclaim round, allocstall by gfp_zone, kswapd woken below LOW and balancing at HIGH.
@Suite struct ReclaimStandInTests {
    typealias M = Machine<Mainline519>
    static let file = PageClass.pageCache.rawValue
    static let anon = PageClass.anon.rawValue

    /// Requests 0..<classes.count allocated in order (order 0, GFP_HIGHUSER_MOVABLE) and put on
    /// the LRUs; returns the machine and each request's pfn.
    func machine(_ classes: [UInt8], swap: Bool, pages: Int = 8192) -> (M, [Int]) {
        let m = M(layout: smallLayout(pages: pages))
        m.enableReclaim(ReclaimConfig(swap: swap), classes: classes, requestCount: classes.count)
        var pfns: [Int] = []
        for r in classes.indices {
            let h = m.allocate(zone: nil, order: 0, type: .movable, compound: nil, gfp: .highuserMovable)
            m.reclaimNoteAlloc(request: Int32(r), handle: h)
            pfns.append(Int(m.handlePfn[h]))
        }
        return (m, pfns)
    }

    @Test func reclaimTakesTheOldestPageCacheFirstAndAnonOnlyWithSwap() {
        let (m, pfns) = machine([Self.file, Self.file, Self.file, Self.anon], swap: false)
        #expect(m.reclaim.lruPages.file == 3 && m.reclaim.lruPages.anon == 0)
        #expect(m.reclaimOldest() == 1)
        #expect(m.kind(pfns[0]) != .allocated)          // request 0, the oldest, went first
        #expect(m.kind(pfns[1]) == .allocated)
        // The workload frees request 1 itself: off the LRU; request 0's free is now a no-op.
        #expect(m.reclaimNoteFree(request: 1))
        #expect(!m.reclaimNoteFree(request: 0))
        #expect(m.reclaimOldest() == 1)
        #expect(m.kind(pfns[2]) != .allocated)
        // Without swap the anon page is not on any LRU: nothing left to reclaim.
        #expect(m.reclaimOldest() == 0)
        #expect(m.kind(pfns[3]) == .allocated)
        #expect(m.reclaim.pgstealFile == 2 && m.reclaim.pgstealAnon == 0)
    }

    @Test func withSwapAnonIsReclaimedAfterThePageCache() {
        let (m, pfns) = machine([Self.anon, Self.file], swap: true)
        #expect(m.reclaimOldest() == 1)
        #expect(m.kind(pfns[1]) != .allocated && m.kind(pfns[0]) == .allocated)   // file first although younger
        #expect(m.reclaimOldest() == 1)
        #expect(m.reclaim.pswpout == 1 && m.reclaim.pgstealAnon == 1)
        #expect(m.reclaimablePages(zone: 0) == 0)
    }

    /// try_to_free_pages: nr_to_reclaim = SWAP_CLUSTER_MAX; ALLOCSTALL counted at
    /// sc->reclaim_idx = gfp_zone(gfp) (mm/vmscan.c do_try_to_free_pages, v6.1).
    @Test func directReclaimTakesSwapClusterMaxPagesPerRound() {
        let (m, _) = machine(Array(repeating: Self.file, count: 100), swap: false)
        #expect(LRUStandIn.directReclaim(m, order: 0, gfp: .highuserMovable) == 32)
        #expect(m.reclaim.allocstallMovable == 1 && m.reclaim.allocstallNormal == 0)
        #expect(LRUStandIn.directReclaim(m, order: 0, gfp: .kernel) == 32)
        #expect(m.reclaim.allocstallNormal == 1)
        #expect(m.reclaim.pgstealDirect == 64 && m.reclaim.pgscanDirect == 64)
        #expect(m.reclaim.lruPages.file == 36)
        #expect(LRUStandIn.directReclaim(m, order: 0, gfp: .kernel) == 32)
        #expect(LRUStandIn.directReclaim(m, order: 0, gfp: .kernel) == 4)
        #expect(LRUStandIn.directReclaim(m, order: 0, gfp: .kernel) == 0)
    }

    /// A closed loop: order-1 page cache requests, twice the machine's pages, never freed by
    /// the workload, with a kswapd slower than the allocator (1 page per event against 2). The
    /// fast path fails below LOW and wakes kswapd; the slow path's attempt at MIN keeps
    /// NR_FREE_PAGES ≥ MIN (free − 1 > min before taking 2 pages); when that fails, direct
    /// reclaim frees SWAP_CLUSTER_MAX pages; nothing fails.
    @Test func kswapdAndDirectReclaimHoldTheZoneBetweenMinAndHigh() {
        let pages = 8192
        let n = pages
        var events: [ProgramEvent] = []
        for r in 0..<n {
            events.append(ProgramEvent(.alloc(request: Int32(r), order: 1, type: .movable, zone: -1, compound: nil,
                                              gfp: .highuserMovable)))
        }
        var program = Program(layout: smallLayout(pages: pages), events: events, requestCount: n)
        program.pageClasses = Array(repeating: Self.file, count: n)
        program.reclaim = ReclaimConfig(swap: false, kswapdPagesPerEvent: 1)
        program.seriesEvery = 64
        program.agingMetrics = true
        let out = Simulation<Mainline519>(program).run()
        let probe = M(layout: smallLayout(pages: pages))
        let (minMark, lowMark, highMark) = (probe.zone[0].wmarkMin, probe.zone[0].wmarkLow, probe.zone[0].wmarkHigh)
        #expect(out.metrics["alloc_failures"] == 0)
        #expect((out.metrics["kswapd_wakeups"] ?? 0) > 0)
        #expect((out.metrics["pgsteal_kswapd"] ?? 0) > 0)
        #expect((out.metrics["pgsteal_direct"] ?? 0) > 0 && (out.metrics["allocstall_movable"] ?? 0) > 0)
        #expect(out.metrics["invariant_violations"] == 0)
        // Every page reclaimed was one the workload held: requested − reclaimed = pages in use.
        let reclaimed = (out.metrics["pgsteal_kswapd"] ?? 0) + (out.metrics["pgsteal_direct"] ?? 0)
        #expect(2 * n - reclaimed == pages - (out.metrics["nr_free_pages"] ?? 0))
        #expect((out.metrics["nr_free_pages_min"] ?? 0) >= minMark)
        #expect((out.metrics["nr_free_pages_min"] ?? 0) < lowMark)
        // Once the zone first reached LOW, every later point lies between MIN and HIGH.
        let free = out.timeSeries["nr_free_pages"] ?? []
        let first = free.firstIndex { $0 <= lowMark } ?? free.count
        #expect(first < free.count)
        for v in free[first...] { #expect(v >= minMark && v <= highMark + 2) }
        #expect(out.timeSeries["t"]?.first == 0 && out.timeSeries["t"]?.last == n)
    }

    /// The series' fast mixed-pageblock walk counts what `Machine.mixedPageblocks` counts: the
    /// last point (taken at the end) equals the end-of-run metric, on a run that mixes blocks.
    @Test func seriesMixedPageblocksMatchTheMetric() {
        // Fill with movable pages, free a random third, then unmovable requests: their
        // fallbacks find movable blocks with few free pages and steal without claiming.
        var events: [ProgramEvent] = []
        var rng = SplitMix64(seed: 5)
        for r in 0..<7800 {
            events.append(ProgramEvent(.alloc(request: Int32(r), order: 0, type: .movable, zone: -1, compound: nil, gfp: .highuserMovable)))
        }
        for r in 0..<7800 where rng.below(3) == 0 { events.append(ProgramEvent(.free(request: Int32(r)))) }
        for r in 7800..<9000 {
            events.append(ProgramEvent(.alloc(request: Int32(r), order: 0, type: .unmovable, zone: -1, compound: nil, gfp: .kernel)))
        }
        var program = Program(layout: smallLayout(pages: 8192), events: events, requestCount: 9000)
        program.seriesEvery = 500
        for out in [Simulation<Mainline519>(program).run(), Simulation<Linux35>(program).run()] {
            let mixed = out.metrics["mixed_pageblocks"] ?? 0
            #expect(mixed > 0)
            #expect(out.timeSeries["mixed_pageblocks"]?.last == mixed)
        }
    }

    /// mm/vmstat.c `__fragmentation_index` and `unusable_free_index`, ×1000.
    @Test func fragmentationIndicesFollowVmstat() {
        // 100 free order-0 pages, none larger: an order-3 request fails on fragmentation.
        var blocks = [Int](repeating: 0, count: 11)
        blocks[0] = 100
        #expect(TimeSeriesRecorder.fragmentationIndex(order: 3, blocksAt: blocks, freePages: 100, freeBlocks: 100) == 865)
        #expect(TimeSeriesRecorder.unusableFreeIndex(order: 3, blocksAt: blocks, freePages: 100) == 1000)
        blocks[3] = 1   // one order-3 block: the request would not fail
        #expect(TimeSeriesRecorder.fragmentationIndex(order: 3, blocksAt: blocks, freePages: 108, freeBlocks: 101) == -1000)
        #expect(TimeSeriesRecorder.unusableFreeIndex(order: 3, blocksAt: blocks, freePages: 108) == 925)
        #expect(TimeSeriesRecorder.fragmentationIndex(order: 3, blocksAt: [Int](repeating: 0, count: 11), freePages: 0, freeBlocks: 0) == 0)
    }
}
