import BuddyCore
import BuddyVariants
import Testing

/// `vm.defrag_mode` (v6.15; Strategies+DefragMode.swift, variants/DefragModeV615.swift) against
/// the default on `Linux612`: the allocator side (e3aa7df331bc + 7a95a05f15d5, mm/page_alloc.c
/// `alloc_flags_nofragment`, `get_page_from_freelist`, `gfp_to_alloc_flags`,
/// `__alloc_pages_slowpath`) and the kswapd / kcompactd side (a211c6550efc + a1f0220f3319,
/// mm/vmscan.c `pgdat_balanced`, mm/compaction.c `compaction_suit_allocation_order`,
/// `kcompactd_do_work`, `__compact_finished`). One zone named Normal, no DMA32: the default
/// never sets ALLOC_NOFRAGMENT there (`alloc_flags_nofragment`), defrag_mode always does.
@Suite struct DefragModeTests {
    /// The zone's first pfn: not 0, whose cached free-scanner position of 0 would read as "the
    /// scanners met" in `compact_zone` (CompactionTests does the same).
    static let base = 0x10000

    /// Every page of a one-zone machine an order-0 MOVABLE allocation at its pfn, then the pages
    /// whose index in the zone `free` picks freed; per-cpu lists off (every free reaches
    /// `__free_one_page` at once).
    static func zone<S: StrategySet>(_: S.Type, pages: Int, free: (Int) -> Bool) -> Machine<S> {
        var l = layout(pages: pages, ramStart: base)
        l.perCPUListsEnabled = false
        let m = Machine<S>(layout: l)
        m.compactionEnabled = true
        var handles: [Int] = []
        for p in 0..<pages { handles.append(m.allocate(atPfn: base + p, order: 0, type: .movable, compound: false).1) }
        for (p, h) in handles.enumerated() where free(p) { m.free(handle: h) }
        return m
    }

    /// 4096 pages (8 MOVABLE pageblocks), one movable page kept at the start of each block except
    /// those in `wholeFree`: every free page is MOVABLE, no UNMOVABLE list has anything.
    static func pinnedBlocks<S: StrategySet>(_ s: S.Type, wholeFree: Set<Int> = []) -> Machine<S> {
        zone(s, pages: 4096) { p in p & 511 != 0 || wholeFree.contains(p >> 9) }
    }

    /// The default serves an order-0 GFP_KERNEL | __GFP_NORETRY unmovable request by claiming a
    /// MOVABLE pageblock that still holds a movable page (`__rmqueue_claim`: the largest fallback
    /// piece, order 8, free + alike ≥ half a block → the block turns UNMOVABLE): one mixed block.
    /// Under defrag_mode ALLOC_NOFRAGMENT limits `__rmqueue_claim` to whole blocks (min_order =
    /// pageblock_order) and skips `__rmqueue_steal`; `get_page_from_freelist` does not retry
    /// without it, and __GFP_NORETRY leaves the slow path (`goto nopage`) before the
    /// "Reclaim/compaction failed to prevent the fallback" retry: the request fails, nothing mixed.
    @Test func noretryRequestStealsByDefaultAndFailsUnderDefragMode() {
        let def = Self.pinnedBlocks(Linux612.self)
        #expect(def.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.kernel, .noretry]) >= 0)
        #expect(def.mixedPageblocks == 1)
        #expect(def.stats.extfragEvents == 1)

        let dm = Self.pinnedBlocks(WeinerDefragMode.self)
        #expect(dm.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.kernel, .noretry]) < 0)
        #expect(dm.mixedPageblocks == 0)
        #expect(dm.stats.extfragEvents == 0)
        #expect(dm.structuralViolations().isEmpty && def.structuralViolations().isEmpty)
    }

    /// GFP_NOWAIT cannot direct-reclaim: `if (!can_direct_reclaim) goto nopage` comes before the
    /// defrag_mode retry too, so it fails where the default steals.
    @Test func nonBlockingRequestFailsRatherThanFallBack() {
        let def = Self.pinnedBlocks(Linux612.self)
        #expect(def.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .nowait) >= 0)
        let dm = Self.pinnedBlocks(WeinerDefragMode.self)
        #expect(dm.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .nowait) < 0)
        #expect(dm.mixedPageblocks == 0)
    }

    /// GFP_KERNEL with nothing to reclaim: `should_reclaim_retry` gives up, then defrag_mode clears
    /// ALLOC_NOFRAGMENT once (7a95a05f15d5: "if (defrag_mode && (alloc_flags &
    /// ALLOC_NOFRAGMENT))") and the retry falls back as the default did — the last-ditch fallback
    /// that averts OOM. Same block claimed, same mixed count.
    @Test func blockingRequestFallsBackOnlyAfterReclaimGaveUp() {
        let def = Self.pinnedBlocks(Linux612.self)
        let dm = Self.pinnedBlocks(WeinerDefragMode.self)
        let a = def.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .kernel)
        let b = dm.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .kernel)
        #expect(a >= 0 && b >= 0)
        #expect(def.handlePfn[a] == dm.handlePfn[b])
        #expect(def.mixedPageblocks == 1 && dm.mixedPageblocks == 1)
    }

    /// With pageblock 3 (zone pfns 1536–2047) wholly free, defrag_mode's ALLOC_NOFRAGMENT pass claims
    /// it whole (`__rmqueue_claim` at order ≥ pageblock_order, `try_to_claim_block`, then
    /// `__rmqueue_smallest` on UNMOVABLE: the block's first page, `expand` keeping the low half):
    /// pfn 1536, block 3 UNMOVABLE, no block mixed. The default takes the largest fallback piece
    /// top-down — the order-9 block too, so here both agree: whole-block conversion is what
    /// defrag_mode keeps, not what it adds.
    @Test func wholeFreeBlockIsClaimedWhole() {
        let dm = Self.pinnedBlocks(WeinerDefragMode.self, wholeFree: [3])
        let h = dm.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.kernel, .noretry])
        #expect(h >= 0)
        #expect(dm.handlePfn[h] == Self.base + 1536)
        #expect(dm.blockType(Self.base + 1536) == .unmovable)
        #expect(dm.mixedPageblocks == 0)
        #expect(dm.nrFreePagesBlocks(zone: 0) == 0)
    }

    /// 65536 pages (256 MiB): min_free_kbytes = int_sqrt(262144·16) = 2048 → min 512 pages, gap
    /// max(512/4, 65536·10/10000) = 128, high = 768. Blocks 0..<`free` wholly free, one movable
    /// page at the start of every other block: NR_FREE_PAGES = 512·free + 511·(128 − free).
    static func bigZone<S: StrategySet>(_ s: S.Type, wholeFree: Int) -> Machine<S> {
        zone(s, pages: 65536) { p in p & 511 != 0 || p >> 9 < wholeFree }
    }

    /// `pgdat_balanced` at order 9. Default: `zone_watermark_ok_safe(zone, 9, high)` — free − 511 >
    /// 768 and a free block of order ≥ 9: balanced with one whole block. defrag_mode: the same
    /// check on NR_FREE_PAGES_BLOCKS: 512·n − 511 > 768 needs n ≥ 3 whole blocks (1025 > 768;
    /// two blocks give 513). At order 0 — after kswapd reclaimed `compact_gap` and
    /// `kswapd_shrink_node` dropped `sc->order` — defrag_mode reads NR_FREE_PAGES again
    /// (a1f0220f3319), so it hands over to kcompactd as the default does.
    @Test func kswapdBalancesOnWholeFreeBlocks() {
        for n in 1...3 {
            let def = Self.bigZone(Linux612.self, wholeFree: n)
            let dm = Self.bigZone(WeinerDefragMode.self, wholeFree: n)
            #expect(def.zone[0].wmarkHigh == 768 && dm.zone[0].wmarkHigh == 768)
            #expect(dm.nrFreePagesBlocks(zone: 0) == 512 * n)
            #expect(def.pgdatBalanced(order: 9, highestZone: 0))
            #expect(dm.pgdatBalanced(order: 9, highestZone: 0) == (n >= 3))
            #expect(dm.pgdatBalanced(order: 0, highestZone: 0))
        }
    }

    /// A 256 MiB zone: a movable page at the start of blocks 0–3, block 127 free but for its last
    /// page, every other page allocated — no free pageblock, 5·511 = 2555 pages free. kcompactd
    /// woken for order 9 (`kcompactd_do_work`, SYNC_LIGHT, GFP_KERNEL):
    /// - default: `__compact_finished` stops at the first pageblock-aligned check that finds an
    ///   order-9 page an UNMOVABLE request may take (`find_suitable_fallback`): block 0's page
    ///   migrated into block 127, one block freed;
    /// - defrag_mode: done only when `__zone_watermark_ok(zone, 9, high, …, NR_FREE_PAGES_BLOCKS)`,
    ///   i.e. three whole free blocks (512·3 − 511 > 768): blocks 0, 1 and 2 emptied.
    @Test func kcompactdCompactsUntilTheHighMarkInWholeBlocks() {
        func run<S: StrategySet>(_ s: S.Type) -> (migrated: Int, blocks: Int) {
            let m = Self.zone(s, pages: 65536) { p in
                let b = p >> 9
                return (b < 4 && p & 511 != 0) || (b == 127 && p != 65535)
            }
            #expect(m.nrFreePagesBlocks(zone: 0) == 0 && m.zone[0].nrFreePages == 2555)
            #expect(m.wakeupKcompactd(order: 9, highestZone: 0))
            let migrated = m.kcompactdRun()
            #expect(m.structuralViolations().isEmpty)
            return (migrated, m.nrFreePagesBlocks(zone: 0))
        }
        let def = run(Linux612.self)
        let dm = run(WeinerDefragMode.self)
        #expect(def.migrated == 1 && def.blocks == 512)
        #expect(dm.migrated == 3 && dm.blocks == 1536)
    }

    /// `kcompactd_node_suitable` under defrag_mode reads NR_FREE_PAGES_BLOCKS at the MIN mark:
    /// with one whole free block (512 − 511 = 1 ≤ 512) kcompactd is still woken, where the
    /// default's order-9 check passes (free − 511 > 512 with a block of order 9) and it is not.
    @Test func kcompactdWakesWhileWholeBlocksAreShort() {
        let def = Self.bigZone(Linux612.self, wholeFree: 1)
        let dm = Self.bigZone(WeinerDefragMode.self, wholeFree: 1)
        #expect(!def.wakeupKcompactd(order: 9, highestZone: 0))
        #expect(dm.wakeupKcompactd(order: 9, highestZone: 0))
    }

    /// `wake_all_kswapds` (101f9d666e4d): page cache requests (order 0, GFP_HIGHUSER_MOVABLE, on
    /// the LRU) until the fast path fails below LOW and the slow path wakes kswapd. The default
    /// wakes it for the request's order 0; defrag_mode for max(0, pageblock_order) = 9, and the
    /// patch-3-only design, without the assistance patch, for 0.
    @Test func kswapdIsWokenAtPageblockOrder() {
        func firstWake<S: StrategySet>(_: S.Type) -> (order: Int, requests: Int) {
            var l = layout(pages: 4096, ramStart: Self.base)
            l.perCPUListsEnabled = false
            let m = Machine<S>(layout: l)
            let n = 4096
            m.enableReclaim(ReclaimConfig(swap: false), classes: Array(repeating: PageClass.pageCache.rawValue, count: n),
                            requestCount: n)
            for r in 0..<n {
                let h = m.allocate(zone: nil, order: 0, type: .movable, compound: nil, gfp: .highuserMovable)
                m.reclaimNoteAlloc(request: Int32(r), handle: h)
                if m.reclaim.kswapdAwake { return (m.reclaim.kswapdOrder, r + 1) }
            }
            return (-1, n)
        }
        let def = firstWake(Linux612.self), dm = firstWake(WeinerDefragMode.self)
        let p3 = firstWake(WeinerDefragModeNoFragmentOnly.self)
        #expect(def.order == 0 && dm.order == 9 && p3.order == 0)
        // The same request wakes it in all three: free pages fell to LOW (160 of 4096 here).
        #expect(def.requests == dm.requests && dm.requests == p3.requests)
    }

    /// The design without kswapd/kcompactd changes (patch 3/5 alone) balances as the default does.
    @Test func nofragmentOnlyKeepsTheDefaultKswapdTarget() {
        let m = Self.bigZone(WeinerDefragModeNoFragmentOnly.self, wholeFree: 1)
        #expect(m.pgdatBalanced(order: 9, highestZone: 0))
        let p = Self.pinnedBlocks(WeinerDefragModeNoFragmentOnly.self)
        #expect(p.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.kernel, .noretry]) < 0)
    }
}
