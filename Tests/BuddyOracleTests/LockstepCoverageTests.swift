import BuddyCore
@testable import BuddyOracle
import Testing

/// `LockstepCoverage` counts what the real kernel did on a batch, from its own log (the
/// `coverage:` line after every lockstep run). Expected values are read off the recorded logs of
/// Debian's 6.1.192 by hand (cmd/result records and the pageblock strings before and after each).
@Suite struct LockstepCoverageTests {
    /// Random batch, seed 1, first 40 commands: 16 allocations, one of which (cmd 21, `alloc 7
    /// unmovable`, pfn 0x2c00) claims the free order-10 MOVABLE block there: `steal_suitable_fallback`
    /// rewrites both its pageblocks (22 and 23) to UNMOVABLE; 4 `alloc_contig_range` successes, one `cma_alloc`, three watermark checks that
    /// pass; nothing migrated, no HIGHATOMIC block (the driver's gfp has no `__GFP_HIGH`).
    @Test func randomBatchCountsTheClaimAndEveryCommandKind() throws {
        let log = try Fixture.log("kernel-6.1-random-seed1-first40.log")
        let c = LockstepCoverage(log: log)
        #expect(c["commands"] == 40)
        #expect(c["alloc"] == 16)
        #expect(c["alloc_fail"] == 0)
        #expect(c["fallback_claim"] == 1)
        #expect(c["fallback_steal"] == 0)
        #expect(c["cma_fallback"] == 0)
        #expect(c["contig_ok"] == 4)
        #expect(c["cma_alloc_ok"] == 1)
        #expect(c["watermark_ok"] == 3)
        #expect(c["watermark_fail"] == 0)
        #expect(c["highatomic_reserve"] == 0)
        #expect(c["migrated"] == 0)
        #expect(c["pcp_refill"] == 0 && c["pcp_drain"] == 0 && c["compound"] == 0)
    }

    /// §10 case 3 on the real kernel: `alloc_contig_range` of the pinned page's own pageblock
    /// and `start_isolate_page_range` over it return -EBUSY (`has_unmovable_pages`), the
    /// partner's succeed. No CMA pageblock is in those ranges.
    @Test func neighbourUnmovableCountsEbusyOutsideCMA() throws {
        let c = LockstepCoverage(log: try Fixture.log("kernel-6.1-neighbour-unmovable-cma64M.log"))
        #expect(c["contig_ok"] == 2)
        #expect(c["contig_ebusy"] == 1)
        #expect(c["isolate_ebusy"] == 2)
        #expect(c["isolate_cma_ebusy"] == 0)
    }

    /// Only the compared prefix counts: a run that stopped at command 10 says nothing of 11–40
    /// (the claim is command 21).
    @Test func prefixOnly() throws {
        let log = try Fixture.log("kernel-6.1-random-seed1-first40.log")
        let c = LockstepCoverage(log: log, commands: 10)
        #expect(c["commands"] == 10)
        #expect(c["fallback_claim"] == 0)
        #expect(LockstepCoverage(log: log).line.hasPrefix("coverage: commands=40 alloc=16 alloc_fail=0 alloc_high=0 fallback_claim=1 "))
    }
    /// `compact_remigrated` counts the pages of a compaction command's `side free` events that
    /// lay inside a free block before it (targets migrated again in the same pass): with an
    /// order-9 block free at 0x1a600 and an order-0 page at 0x10, frees of 0x1a600, 0x1a7ff and
    /// 0x10 count, 0x1a800 (past the block) and 0x11 do not; an order-1 free inside counts 2.
    @Test func remigratedPagesAreFreesOfPagesThatWereFree() {
        var lists = Array(repeating: Array(repeating: [Int](), count: 6), count: 11)
        lists[9][1] = [0x1a600]
        lists[0][0] = [0x10]
        let before = ZoneSnapshot(startPfn: 0, spanned: 0x20000, present: 0x20000, managed: 0x20000, nrFreePages: 513,
                                  nrFreeCMAPages: 0, nrFree: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], pageblockStart: 0,
                                  pageblocks: Array(repeating: .movable, count: 256), freeLists: lists)
        let frees = [0x1a600, 0x1a7ff, 0x10, 0x1a800, 0x11].map { ForeignEvent(isAlloc: false, pfn: $0, order: 0, type: .movable) }
            + [ForeignEvent(isAlloc: false, pfn: 0x1a700, order: 1, type: .movable),
               ForeignEvent(isAlloc: true, pfn: 0x1a702, order: 0, type: .movable)]
        #expect(LockstepCoverage.freedThatWereFree(frees, before) == 5)
    }
}
