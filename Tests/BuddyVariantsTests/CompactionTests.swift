import BuddyCore
import BuddyVariants
import Testing

/// mm/compaction.c as in Debian's 6.1.192 (`linux-6.1`) and 6.12.118 (`linux-6.12`) trees, on a
/// one-zone machine of 4096 pages (8 pageblocks of 512) at pfn 0x8000, without pcp lists (so
/// every free reaches `__free_one_page` at once).
@Suite struct CompactionTests {
    static let base = 0x8000

    /// Every page an order-0 allocation of `type`; then the pages with `i & 1 == odd` (i the
    /// page's index in the zone) of the pageblocks in `freed` are freed.
    static func fragmented<S: StrategySet>(_: S.Type, type: AllocType = .movable, freed: Range<Int> = 0..<8,
                                           odd: Int = 1, pcp: Bool = false) -> Machine<S> {
        zone(S.self, type: type, pcp: pcp) { i in i & 1 == odd && freed.contains(i >> 9) }
    }

    /// Every page an order-0 allocation of `type`, then the pages whose index `free` picks freed
    /// (`pcp`: with per-cpu lists on, where the variant has them).
    static func zone<S: StrategySet>(_: S.Type, type: AllocType = .movable, pcp: Bool = false,
                                     free: (Int) -> Bool) -> Machine<S> {
        var l = layout(pages: 4096, ramStart: base)
        l.perCPUListsEnabled = pcp
        let m = Machine<S>(layout: l)
        m.compactionEnabled = true
        var handles: [Int] = []
        for p in base..<(base + 4096) { handles.append(m.allocate(atPfn: p, order: 0, type: type, compound: false).1) }
        for (i, h) in handles.enumerated() where free(i) { m.free(handle: h) }
        return m
    }

    /// `compact_zone` for order 9 at COMPACT_PRIO_SYNC_LIGHT (MIGRATE_SYNC_LIGHT, no skip on
    /// failure, stride 1). The fragmentation index is 1000 − (1000 + 2048·1000/512)/2048 = 998
    /// (> 500: compaction, not reclaim). `fast_find_migrateblock` finds no free block of orders
    /// 8…3, so the migrate scanner starts at 0x8000 and isolates block 0's even pages 32 at a
    /// time (COMPACT_CLUSTER_MAX) — then, back in the same pageblock (`finish_pageblock` /
    /// 6.1 `rescan`), the other 224 in one batch: 512 pages scanned. Targets come from
    /// `fast_isolate_freepages`: the order-0 MOVABLE list walked from its tail (the lowest free
    /// pages, freed first and added at the head) for 256 entries without reaching `min_pfn`
    /// 0x8600, so it falls back to the block at `min_pfn` (`fast_isolate_around`, stride 1:
    /// 64 pfns for 32 pages); the second search (limit 256, `low_pfn` = `min_pfn` = 0x8400 now)
    /// scans one order-6 entry (block 0's first 64 pages, merged) and 256 order-0 entries, then
    /// isolates 224 pages from 0x8400 (448 pfns): 256 + 64 + 257 + 448 = 1025 free pages scanned.
    /// When the migrate pfn reaches the aligned 0x8200, `__compact_finished` finds block 0 on the
    /// order-9 list: COMPACT_SUCCESS with exactly 256 pages migrated. The cached migrate pfn is
    /// `pageblock_end_pfn(0x8200)` = 0x8400 (`update_cached_migrate`); the linear free scanner
    /// never ran, so the cached free pfn is still the zone's last pageblock.
    @Test func fragmentedZoneCompactsToOrder9MigratingExactly256Pages() {
        func run<S: StrategySet>(_: S.Type) -> (CompactionRun, ZoneCompaction, Bool, Int, [String]) {
            let m = Self.fragmented(S.self)
            #expect(m.fragmentationIndex(zone: 0, order: 9) == 998)
            #expect(!m.hasFreePage(zone: 0, order: 9, .movable))
            let r = m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
            return (r, m.zoneCompaction(0), m.hasFreePage(zone: 0, order: 9, .movable), m.zone[0].nrFreePages,
                    m.structuralViolations())
        }
        for (r, z, free9, nrFree, bad) in [run(Linux61.self), run(Linux612.self)] {
            #expect(r.status == .success && r.migrated == 256 && r.migrateScanned == 512 && r.freeScanned == 1025)
            #expect(free9 && nrFree == 2048 && bad.isEmpty)
            #expect(z.cachedMigratePfn.sync == Self.base + 0x400 && z.orderFailed == 10 && z.cachedFreePfn == Self.base + 7 * 512)
        }
    }

    /// `fast_find_migrateblock` (order 9 > PAGE_ALLOC_COSTLY_ORDER, movable): the order-5 MOVABLE
    /// list holds a free block at 0x8400 (block 2's first 32 pages) below `high_pfn` =
    /// pageblock_start(0x8000 + (0x8e00 − 0x8000)/2) = 0x8600, so the migrate scanner starts at
    /// block 2. 6.12 migrates block 2's 240 movable pages and 0x8400 becomes an order-9 block.
    /// 6.1's fast search also sets the block's skip bit, and `isolate_migratepages_block` then
    /// finds it set at the aligned first pfn and abandons the block: block 3 is compacted instead
    /// (256 pages, 0x8600). Both runs end COMPACT_PARTIAL_SKIPPED: `fast_isolate_freepages` moved
    /// the free scanner down to `min_pfn`, into the migrate scanner's pageblock, before the finish
    /// test saw the new block (the allocation would then find it on the list).
    @Test func fastFindMigrateblockStartsAtALowFreeBlock() {
        func run<S: StrategySet>(_: S.Type) -> (CompactionRun, [Int], [Bool]) {
            let m = Self.zone(S.self) { i in i & 1 == 1 || (1024..<1056).contains(i) }
            #expect(m.listContents(zone: 0, order: 5, .movable) == [Self.base + 0x400])
            let r = m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
            #expect(m.structuralViolations().isEmpty)
            return (r, m.listContents(zone: 0, order: 9, .movable), (0..<8).map { m.pageblockSkip(Self.base + $0 * 512) })
        }
        let (r61, list61, skip61) = run(Linux61.self)
        #expect(r61.status == .partialSkipped && r61.migrated == 256 && list61 == [Self.base + 0x600])
        #expect(skip61 == [false, false, true, true, false, false, false, false])
        let (r612, list612, skip612) = run(Linux612.self)
        #expect(r612.status == .partialSkipped && r612.migrated == 240 && list612 == [Self.base + 0x400])
        #expect(skip612 == [false, false, true, false, false, false, false, false])
    }

    /// Compound (THP-like) folios: 6.1's `isolate_migratepages_block` skips every compound page
    /// (`PageCompound && !cc->alloc_contig`), 6.12 migrates folios below pageblock_order for
    /// compact_memory (`skip_isolation_on_order(order, -1)`) into order-2 targets
    /// (`compaction_alloc_noprof` takes `cc->freepages[2]`). Zone: every 4 pages an order-2
    /// compound movable allocation, every other one freed; 800 pages move, as in
    /// `compactMemoryRunsTheWholeZone`.
    @Test func compoundFoliosMigrateOnlyIn612() {
        func run<S: StrategySet>(_: S.Type) -> (CompactionRun, Int, [String]) {
            var l = layout(pages: 4096, ramStart: Self.base)
            l.perCPUListsEnabled = false
            let m = Machine<S>(layout: l)
            m.compactionEnabled = true
            var handles: [Int] = []
            for p in stride(from: Self.base, to: Self.base + 4096, by: 4) {
                handles.append(m.allocate(atPfn: p, order: 2, type: .movable, compound: true).1)
            }
            for (i, h) in handles.enumerated() where i & 1 == 1 { m.free(handle: h) }
            let r = m.compactMemory(zone: 0)
            return (r, m.largestFreeOrder, m.structuralViolations())
        }
        let (r61, largest61, bad61) = run(Linux61.self)
        #expect(r61.status == .complete && r61.migrated == 0 && largest61 == 2 && bad61.isEmpty)
        let (r612, largest612, bad612) = run(Linux612.self)
        #expect(r612.status == .complete && r612.migrated == 800 && largest612 == 10 && bad612.isEmpty, "\(r612)")
    }

    /// `compact_memory` (order -1, MIGRATE_SYNC, whole zone) on the same zone: blocks 0, 1, 2 move
    /// into 7, 6, 5 (32 pages, then the other 224 with `finish_pageblock`); block 3's first 32
    /// go to block 4, but once its last 224 are isolated the migrate pfn is 0x8800 and
    /// `isolate_freepages` may only scan down to `pageblock_end_pfn(0x8800)` = 0x8a00: no target,
    /// -ENOMEM with the scanners met, COMPACT_COMPLETE after 3·256 + 32 = 800 pages (the 224 are
    /// put back). 0x8000–0x85ff and what block 3 freed merge: an order-10 block.
    @Test func compactMemoryRunsTheWholeZone() {
        for v612 in [false, true] {
            let (r, largest, nrFree, bad) = v612 ? Self.memory(Linux612.self) : Self.memory(Linux61.self)
            #expect(r.status == .complete && r.migrated == 800 && r.migrateScanned == 2048)
            #expect(largest == 10 && nrFree == 2048 && bad.isEmpty)
        }
    }

    static func memory<S: StrategySet>(_: S.Type) -> (CompactionRun, Int, Int, [String]) {
        let m = fragmented(S.self)
        let r = m.compactMemory(zone: 0)
        return (r, m.largestFreeOrder, m.zone[0].nrFreePages, m.structuralViolations())
    }

    /// `compaction_suitable`: 1280 free pages in five order-8 blocks pass the order-0 watermark
    /// plus `compact_gap` (low 160 + 1024) but `fragmentation_index(zone, 9)` =
    /// 1000 − (1000 + 1280·1000/512)/5 = 300 ≤ `sysctl_extfrag_threshold` (500): the failure is
    /// lack of memory, COMPACT_NOT_SUITABLE_ZONE (reported as COMPACT_SKIPPED by both eras), and
    /// nothing is scanned.
    @Test func lowFragmentationIndexMeansReclaimNotCompaction() {
        func run<S: StrategySet>(_: S.Type) -> (CompactStatus, CompactionRun, Int) {
            let m = Self.zone(S.self) { i in i >> 9 < 5 && i & 511 < 256 }
            let fragindex = m.fragmentationIndex(zone: 0, order: 9)
            let suitable = m.compactionSuitable(zone: 0, order: 9, mark: m.zone[0].wmarkMin)
            return (suitable, m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false), fragindex)
        }
        for (suitable, r, fragindex) in [run(Linux61.self), run(Linux612.self)] {
            #expect(fragindex == 300 && suitable == .notSuitableZone)
            #expect(r.status == .skipped && r.migrateScanned == 0 && r.freeScanned == 0)
        }
    }

    /// `__compaction_suitable`'s `compact_gap(order)` = 2 << order: 1024 free pages (blocks 0–3)
    /// are below low (160) + 1024 for order 9, so COMPACT_SKIPPED before any scan (the zone's
    /// fragmentation index, 1000 − (1000 + 2000)/1024 = 998, is not even consulted); for order 8
    /// the gap is 512 and compaction runs.
    @Test func compactGapNeedsRoomToMigrateInto() {
        func run<S: StrategySet>(_: S.Type) -> (CompactStatus, CompactStatus, Int) {
            let m = Self.fragmented(S.self, freed: 0..<4)
            return (m.compactionSuitable(zone: 0, order: 9, mark: m.zone[0].wmarkMin),
                    m.compactionSuitable(zone: 0, order: 8, mark: m.zone[0].wmarkMin), m.zone[0].nrFreePages)
        }
        for r in [run(Linux61.self), run(Linux612.self)] { #expect(r.0 == .skipped && r.1 == .continue && r.2 == 1024) }
    }

    /// Nothing movable (every allocation unmovable): a SYNC_LIGHT attempt ends with the scanners
    /// met and nothing isolated, COMPACT_PARTIAL_SKIPPED (`cc->whole_zone` is false: the zone's
    /// `compact_init_migrate_pfn` is 0). `defer_compaction` then skips the next 2^shift − 1
    /// attempts (`compaction_deferred`: `++compact_considered < 1 << compact_defer_shift`):
    /// run, defer, run, defer×3, run, defer×7, run — the shift capped at COMPACT_MAX_DEFER_SHIFT.
    /// The second run scans nothing: every block was marked skip by the first
    /// (`isolate_migratepages_block` sets PB_migrate_skip on a block it isolated nothing from),
    /// and nothing clears the hints before `compaction_restarting`.
    @Test func failuresDeferAndSkipBitsMakeTheNextPassCheaper() {
        func run<S: StrategySet>(_: S.Type) -> ([CompactStatus], [Int], ZoneCompaction) {
            let m = Self.fragmented(S.self, type: .unmovable)
            var statuses: [CompactStatus] = [], scanned: [Int] = []
            for _ in 0..<16 {
                let r = m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
                statuses.append(r.status)
                if r.status != .deferred { scanned.append(r.migrateScanned) }
            }
            #expect(m.structuralViolations().isEmpty)
            return (statuses, scanned, m.zoneCompaction(0))
        }
        let p = CompactStatus.partialSkipped, d = CompactStatus.deferred
        for (statuses, scanned, z) in [run(Linux61.self), run(Linux612.self)] {
            #expect(statuses == [p, d, p, d, d, d, p, d, d, d, d, d, d, d, p, d])
            // First pass: blocks 0–6 page by page (the free scanner's block 7 is where they meet).
            #expect(scanned == [7 * 512, 0, 0, 0])
            // compact_order_failed starts at 0 and defer_compaction only lowers it.
            #expect(z.deferShift == 4 && z.orderFailed == 0 && z.blockskipFlush)
        }
    }

    /// `__reset_isolation_suitable` after `compact_blockskip_flush`: the walk meets in the middle;
    /// the source side clears a block only when a sampled page (every 8th) is on the LRU — none
    /// here, all allocations are unmovable — and the target side (MOVABLE blocks only) when one is
    /// free: blocks 4–6 lose their hint, 0–3 keep it. No source block was found, so "leave no
    /// distance": both cached positions go to where the walk stopped (0x8800 / 0x87ff).
    @Test func resetIsolationSuitableClearsTheHintsWhereSamplesFindPages() {
        for v612 in [false, true] {
            let m: (Int) -> Bool, reset: () -> Void, z: () -> ZoneCompaction
            if v612 {
                let x = Self.fragmented(Linux612.self, type: .unmovable, odd: 0)
                _ = x.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
                m = { x.pageblockSkip(Self.base + $0 * 512) }; reset = { x.resetIsolationSuitable() }; z = { x.zoneCompaction(0) }
            } else {
                let x = Self.fragmented(Linux61.self, type: .unmovable, odd: 0)
                _ = x.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
                m = { x.pageblockSkip(Self.base + $0 * 512) }; reset = { x.resetIsolationSuitable() }; z = { x.zoneCompaction(0) }
            }
            #expect((0..<8).map(m) == [true, true, true, true, true, true, true, false])
            reset()
            #expect((0..<8).map(m) == [true, true, true, true, false, false, false, false])
            #expect(z().cachedMigratePfn.sync == Self.base + 2048 && z().cachedFreePfn == Self.base + 2047 && !z().blockskipFlush)
        }
    }

    /// `compaction_capture` (v5.1): the free that completes an order-9 block during a direct
    /// compaction for order 9 hands it to the request instead of the free list. Through the slow
    /// path (`__alloc_pages_direct_compact` at COMPACT_PRIO_ASYNC, GFP_TRANSHUGE): the request
    /// gets block 0, no order-9 block is left on a list, compact_stall = compact_success = 1.
    @Test func captureHandsTheCompletedBlockToTheRequest() {
        func run<S: StrategySet>(_: S.Type) -> (Int, Bool, CompactionCounters, [String]) {
            let m = Self.fragmented(S.self, odd: 0)
            let h = m.allocate(zone: 0, order: 9, type: .movable, compound: true, gfp: .transhuge)
            return (h < 0 ? -1 : Int(m.handlePfn[h]), m.hasFreePage(zone: 0, order: 9, .movable),
                    m.compactionCounters, m.structuralViolations())
        }
        for (pfn, free9, c, bad) in [run(Linux61.self), run(Linux612.self)] {
            #expect(pfn == Self.base && !free9 && bad.isEmpty)
            #expect(c.compactStall == 1 && c.compactSuccess == 1 && c.compactFail == 0 && c.pgmigrateSuccess == 256)
        }
    }

    /// With pcp lists on, migrated sources go to the pcp list (`free_unref_page`) and reach
    /// `__free_one_page` — and the capture — through `free_pcppages_bulk`; the counters stay exact.
    @Test func captureThroughPcpBulkFreesKeepsCountersExact() {
        func run<S: StrategySet>(_: S.Type) -> (Int, Int, [String]) {
            let m = Self.zone(S.self, pcp: true) { i in i & 1 == 0 }
            let h = m.allocate(zone: 0, order: 9, type: .movable, compound: true, gfp: .transhuge)
            return (h, m.drift().nrFreePages, m.structuralViolations())
        }
        for (h, drift, bad) in [run(Linux61.self), run(Linux612.self)] {
            #expect(h >= 0 && drift == 0 && bad.isEmpty)
        }
    }

    /// `check_drain` in `compact_zone`: once the migrate scanner leaves the cc->order-aligned
    /// block it migrated from, `lru_add_drain_cpu_zone(zone)` → `drain_local_pages(zone)` hands
    /// the freed sources parked on this CPU's pcp list to the buddy (mm/swap.c, both eras), so
    /// they merge before `compact_finished` looks. The zone of
    /// `fragmentedZoneCompactsToOrder9MigratingExactly256Pages` with pcp lists on (drained first):
    /// block 0's 256 sources go to the pcp list as they are freed; when the scanner reaches
    /// 0x8200 the drain merges block 0 whole and the run ends there — COMPACT_SUCCESS with exactly
    /// 256 pages migrated and the pcp list empty. Found by the oracle (6.12.118 --pcp seed 1,
    /// command 527: the kernel's pcp count 8, the model's 230 before the drain was modelled).
    @Test func checkDrainReturnsPcpSourcesBeforeTheFinishTest() {
        func run<S: StrategySet>(_: S.Type) -> (CompactionRun, Int, Bool, [String]) {
            let m = Self.fragmented(S.self, pcp: true)
            m.drainAllPages(zone: nil)
            let r = m.tryToCompactPages(order: 9, zone: 0, .movable, priority: .syncLight, capture: false)
            return (r, m.pcpCount(cpu: 0, zone: 0), m.hasFreePage(zone: 0, order: 9, .movable), m.structuralViolations())
        }
        for (r, pcp, free9, bad) in [run(Linux61.self), run(Linux612.self)] {
            #expect(r.status == .success && r.migrated == 256 && pcp == 0 && free9 && bad.isEmpty)
        }
    }

    /// The capture rule that differs: below pageblock_order a MOVABLE free is never captured in
    /// 6.1 ("Do not let lower order allocations pollute a movable pageblock"); 6.12 captures it
    /// for a movable request. Which order-8 half completes first: after the first batch of 32
    /// the scanner is back in the same pageblock, so `cc->finish_pageblock` (6.1 `cc->rescan`)
    /// lifts the COMPACT_CLUSTER_MAX limit and the other 224 pages are isolated in one batch;
    /// `migrate_pages` walks the list from its head (the page isolated last), so the upper half
    /// at 0x8100 is freed complete first.
    @Test func captureOfAMovablePieceBelowPageblockOrderIs612Only() {
        func captured<S: StrategySet>(_: S.Type) -> Int {
            let m = Self.fragmented(S.self)
            return m.tryToCompactPages(order: 8, zone: 0, .movable, priority: .syncLight, capture: true).captured
        }
        #expect(captured(Linux61.self) == -1)
        #expect(captured(Linux612.self) == Self.base + 256)
    }

    /// Without a compact op in the program the slow path keeps the stand-in (COMPACT_SKIPPED):
    /// the same GFP_TRANSHUGE request fails and nothing is counted.
    @Test func directCompactionIsInertUntilARunTurnsItOn() {
        let m = Self.fragmented(Linux612.self)
        m.compactionEnabled = false
        #expect(m.allocate(zone: 0, order: 9, type: .movable, compound: true, gfp: .transhuge) == -1)
        #expect(m.compactionCounters == CompactionCounters())
    }

    /// kcompactd and proactive compaction as entry points: `wakeup_kcompactd` ignores order 0,
    /// the woken thread counts `compact_daemon_wake` and compacts; the fragmentation score
    /// (`extfrag_for_order` at the huge page order, weighted by present pages) of a zone whose
    /// free pages are all order 0 is 4096·100/4097 = 99 > the high mark 90 (proactiveness 20).
    @Test func kcompactdAndProactiveCompaction() {
        let m = Self.fragmented(Linux612.self)
        #expect(!m.wakeupKcompactd(order: 0, highestZone: 0))
        #expect(m.fragmentationScore() == 99 && m.shouldProactiveCompact())
        #expect(m.wakeupKcompactd(order: 9, highestZone: 0))
        #expect(m.kcompactdRun() == 256 && m.compactionCounters.compactDaemonWake == 1)
        let p = Self.fragmented(Linux612.self)
        #expect(p.proactiveCompact() > 0 && p.fragmentationScore() <= p.fragmentationScoreWmark(low: true))
        p.setCompactionProactiveness(0)
        #expect(!p.shouldProactiveCompact())
    }
}
