import Testing
import BuddyCore
import BuddyVariants

/// Issue 10: the rows whose kernel behaviour belongs to one variant's version. Each test names
/// the function and the tag it pins.
@Suite struct KernelFaithfulnessVariantTests {
    /// Row 3 — v5.19 `isolate_single_pageblock()` as tagged passes the boundary block's own
    /// `saved_mt` to `set_migratetype_isolate()`: a non-CMA `alloc_contig_range` whose first
    /// pageblock is MIGRATE_CMA isolates it (has_unmovable_pages lets CMA through for a CMA
    /// type), and `undo_isolate_page_range(…, MIGRATE_MOVABLE)` then restores it MOVABLE — the
    /// corruption Doug Berger reported, fixed by 80e2b584f3ab in v6.0.
    @Test func linux519IsolatesACMABoundaryBlockForANonCMACallerAndRestoresItMovable() {
        let m = Machine<V519>(layout: layout(pages: 4096))
        #expect(m.activateCMA(name: "c", basePfn: 0x400, pages: 0x400) == .ok)
        let r = m.allocContigRange(0x700, 0x900)
        #expect(r.result == .ok)
        #expect(m.blockType(0x600) == .movable)          // was MIGRATE_CMA
        #expect(m.blockType(0x400) == .cma)
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 4 — `cma_alloc()` (v3.5 `dma_alloc_from_contiguous` … v6.x): only -EBUSY moves on to
    /// the next bitmap position; -ENOMEM from migration ends the loop. The movable page at 0x400
    /// cannot be migrated (the only free memory is the isolated CMA unit itself), so the first
    /// try fails with -ENOMEM and the free range at 0x500 is never tried.
    @Test func cmaAllocStopsAtTheFirstNonEbusyFailure() {
        let m = Machine<V518>(layout: layout(pages: 4096))
        #expect(m.activateCMA(name: "c", basePfn: 0x400, pages: 0x400) == .ok)
        for p in 0..<4096 where !(0x400..<0x600).contains(p) {
            #expect(m.allocate(atPfn: p, order: 0, type: .unmovable, compound: false).0 == .ok)
        }
        #expect(m.allocate(atPfn: 0x400, order: 0, type: .movable, compound: false).0 == .ok)
        #expect(m.allocContigRange(0x400, 0x500, forCMA: true).result == .enomem)
        #expect(m.cmaAlloc(area: 0, pages: 256) == nil)
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 5 — v5.19 `start_isolate_page_range()`: when a middle pageblock fails it undoes only
    /// `[isolate_start, pfn)` and the end block it isolated itself. Block 3, isolated by another
    /// caller, stays ISOLATE.
    @Test func failingIsolationLeavesAnotherCallersBlockIsolated() {
        let m = Machine<V519>(layout: layout(pages: 4096))
        #expect(m.setMigratetypeIsolate(3 * 512) != nil)
        #expect(m.allocate(atPfn: 512 + 5, order: 0, type: .unmovable, compound: false).0 == .ok)
        let r = m.startIsolatePageRange2022(0, 5 * 512, restore: .movable, forCMA: false)
        #expect(r.result == .ebusy)
        #expect(m.blockType(3 * 512) == .isolate)
        #expect(m.blockType(0) == .movable && m.blockType(4 * 512) == .movable)
        #expect(m.zone[0].nrIsolatePageblock == 1)
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 10 — v3.13–v3.19 `__rmqueue_fallback()`: `try_to_steal_freepages()` returns
    /// `fallback_type` when it does not take the block (here: order 2 < pageblock_order/2, an
    /// UNMOVABLE request), and `expand()` puts the remainder on the MOVABLE lists. v3.6 expanded
    /// onto the requester's list.
    @Test func linux318KeepsAnUnclaimedRemainderOnTheFallbackList() {
        func run<S: StrategySet>(_: S.Type) -> Machine<S> {
            let m = Machine<S>(layout: layout(pages: 1024))
            var h: [Int] = []
            for p in 0..<1024 { h.append(m.allocate(atPfn: p, order: 0, type: .unmovable, compound: false).1) }
            for p in 0..<4 { m.free(handle: h[p]) }
            // __rmqueue itself (4 free pages are below any watermark).
            #expect(m.rmqueue(zone: 0, order: 0, .unmovable).pfn == 0)
            #expect(m.blockType(0) == .movable)
            return m
        }
        let new = run(V318.self)
        #expect(new.listContents(zone: 0, order: 1, .movable) == [2])
        #expect(new.listContents(zone: 0, order: 0, .movable) == [1])
        #expect(new.listContents(zone: 0, order: 0, .unmovable).isEmpty)
        let old = run(V38.self)
        #expect(old.listContents(zone: 0, order: 1, .unmovable) == [2])
        #expect(old.listContents(zone: 0, order: 0, .unmovable) == [1])
    }

    /// Row 11 — v3.5–v3.7 `split_free_page()` "obeys watermarks as if the page was being
    /// allocated": `zone_watermark_ok(zone, 0, low + 2^order, 0, 0)`, ISOLATE blocks included.
    /// With only the 1024-page target free, 1024 ≤ low (112) + 1024 and `alloc_contig_range`
    /// is -EBUSY on 3.5 and 3.7; 3.8 (2e30abd1730a) skips the check for ISOLATE blocks.
    @Test func splitFreePageRefusesBelowTheLowWatermarkBefore38() {
        func run<S: StrategySet>(_: S.Type) -> (OpResult, Int) {
            let m = Machine<S>(layout: layout(pages: 2048))
            for p in 0..<0x400 { _ = m.allocate(atPfn: p, order: 0, type: .unmovable, compound: false) }
            let r = m.allocContigRange(0x400, 0x600)
            #expect(m.structuralViolations().isEmpty)
            return (r.result, drift(m))
        }
        #expect(run(V35.self) == (.ebusy, 0))
        #expect(run(V37.self) == (.ebusy, 0))
        #expect(run(V38.self).0 == .ok)
    }

    /// Row 12 — on v11 and v5.19 a scripted `start_isolate_page_range` goes through
    /// `isolate_single_pageblock`: isolating [0x200, 0x400) splits the order-10 free block at 0
    /// that straddles 0x200, so 512 free pages land on the ISOLATE list (the per-block path
    /// would leave the block on the MOVABLE list, its head being in the pageblock below).
    @Test func scriptedIsolateSplitsAStraddlingFreeBlockOnV11And519() {
        let program = Program(layout: layout(pages: 2048),
                              events: [ProgramEvent(.isolate(start: 0x200, pages: 512), script: 0)], requestCount: 0)
        for run in [Simulation<V519>(program).run(), Simulation<V11>(program).run()] {
            #expect(run.ops.map(\.result) == [.ok])
            #expect(run.metrics["isolated_free_pages"] == 512)
            #expect(run.metrics["invariant_violations"] == 0)
        }
        // The pre-5.19 per-block path does not see a free head in the pageblock below: nothing moves.
        #expect(Simulation<V518>(program).run().metrics["isolated_free_pages"] == 0)
    }

    /// Row 13 — v11 `split_free_page()` took `ffs(split_pfn_offset) - 1` with no alignment
    /// clamp: an order-11 block at 0 split at 0x600 (max_order 11, pageblock_order 9) gives
    /// 0x200 pages at 0 and then an order-10 piece at the misaligned 0x200. 88ee134320b8 clamps
    /// to the pfn's alignment. The simulator records the fault and stays sound.
    @Test func v11SplitPiecesMisalignedOnceMaxOrderExceedsPageblockOrderByTwo() {
        let v11 = Machine<V11>.splitPieces(pfn: 0x10000, order: 16, offset: 0xc000, v11: true)
        #expect(v11.prefix(2).map { [$0.pfn, $0.order] } == [[0x10000, 14], [0x14000, 15]])
        let fixed = Machine<V519>.splitPieces(pfn: 0x10000, order: 16, offset: 0xc000, v11: false)
        #expect(fixed.prefix(2).map { [$0.pfn, $0.order] } == [[0x10000, 15], [0x18000, 14]])
        let g = Geometry(pageShift: 12, maxOrder: 11, pageblockOrder: 9)
        let m = Machine<V11>(layout: layout(g, pages: 4096, block: 2048))
        let r = m.startIsolatePageRange2022(0x600, 0x800, restore: .movable, forCMA: false)
        #expect(r.result == .fault)
        #expect(m.faults.map(\.kind) == ["misaligned-split"])
        #expect(m.structuralViolations().isEmpty)
        let m519 = Machine<V519>(layout: layout(g, pages: 4096, block: 2048))
        #expect(m519.startIsolatePageRange2022(0x600, 0x800, restore: .movable, forCMA: false).result == .ok)
        #expect(m519.faults.isEmpty)
    }

    /// Row 14 — v11 flipped the boundary pageblock with a bare `set_pageblock_migratetype`: no
    /// `nr_isolate_pageblock++` (88ee134320b8 switched to `set_migratetype_isolate`). A
    /// one-pageblock range leaves the block ISOLATE with the count still 0; 5.19 counts 1.
    @Test func v11BoundaryFlipDoesNotCountTheIsolatedBlock() {
        let m = Machine<V11>(layout: layout(pages: 2048))
        #expect(m.startIsolatePageRange2022(0x200, 0x400, restore: .movable, forCMA: false).result == .ok)
        #expect(m.blockType(0x200) == .isolate)
        #expect(m.zone[0].nrIsolatePageblock == 0)
        let f = Machine<V519>(layout: layout(pages: 2048))
        #expect(f.startIsolatePageRange2022(0x200, 0x400, restore: .movable, forCMA: false).result == .ok)
        #expect(f.zone[0].nrIsolatePageblock == 1)
    }

    /// Row 16 — `cma_init_reserved_mem` did not exist in v3.5–v3.8: -EINVAL with the reason, even
    /// at an aligned base. v3.18 has it (de9e14eebf33, v3.18-rc1: mm/cma.c `cma_init_reserved_mem`
    /// with the `max(MAX_ORDER - 1, pageblock_order)` alignment check). `cma_declare_contiguous` with a fixed base not aligned to
    /// the minimum alignment is -EINVAL from v3.17 (mm/cma.c); v3.5 `dma_declare_contiguous`
    /// rounded the base up.
    @Test func cmaDeclarationPerEra() {
        let m35 = Machine<V35>(layout: layout(pages: 8192))
        #expect(m35.cmaInitReservedMem(basePfn: 0x1000, pages: 0x400).result == .einval)
        #expect(m35.cmaDeclareContiguous(basePfn: 0x600, pages: 0x200).map { [$0.base ?? -1, $0.pages] } == [0x800, 0x400])
        let m318 = Machine<V318>(layout: layout(pages: 8192))
        #expect(m318.cmaInitReservedMem(basePfn: 0x1000, pages: 0x400).result == .ok)
        #expect(m318.cmaInitReservedMem(basePfn: 0x600, pages: 0x200).result == .einval)
        let m518 = Machine<V518>(layout: layout(pages: 8192))
        #expect(m518.cmaInitReservedMem(basePfn: 0x1000, pages: 0x400).result == .ok)
        #expect(m518.cmaDeclareContiguous(basePfn: 0x600, pages: 0x200) == nil)
        #expect(m518.cmaDeclareContiguous(basePfn: 0x800, pages: 0x200).map { [$0.base ?? -1, $0.pages] } == [0x800, 0x400])
    }
}
