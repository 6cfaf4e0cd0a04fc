import Testing
import BuddyCore
import BuddyVariants

/// §10 cases 10 and 11: Qian Cai's v11 hang and crash, on arm64 4K with RAM at pfn 0x80000.
/// Memory block 0 = [0x80000, 0x80800); an unmovable order-10 compound page (a high-order slab
/// page) at 0x80400 ends exactly at the block boundary 0x80800.
@Suite struct QianCaiTests {
    func machine<S: StrategySet>(_: S.Type, lowHalfBusy: Bool) -> Machine<S> {
        let m = Machine<S>(layout: layout(.arm64_4k, pages: 8192, ramStart: 0x80000, block: 2048))
        #expect(m.allocate(atPfn: 0x80400, order: 10, type: .unmovable, compound: true).0 == .ok)
        if lowHalfBusy {
            #expect(m.allocate(atPfn: 0x80000, order: 10, type: .unmovable, compound: false).0 == .ok)
        }
        return m
    }

    @Test func v11LoopsWhenTheSearchFindsALowerFreeBlock() {
        let m = machine(V11.self, lowHalfBusy: false)
        let r = m.offlineBlock(0)
        #expect(r.result == .fault)
        #expect(m.faults.map(\.kind) == ["unbounded-loop"])
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func v11WalksBelowRamStartWhenNothingIsFree() {
        let m = machine(V11.self, lowHalfBusy: true)
        let r = m.offlineBlock(0)
        #expect(r.result == .fault)
        #expect(m.faults.map(\.kind) == ["invalid-pfn"])
        #expect(m.faults.first?.pfn == 0)
        #expect(m.structuralViolations().isEmpty)
    }

    /// v5.19's -EBUSY is not the boundary handling: `isolate_single_pageblock` skips the compound
    /// page that ends at the boundary (`<=`), then `set_migratetype_isolate` of the pageblock
    /// holding its tail runs `has_unmovable_pages` (v5.19 mm/page_alloc.c), which follows
    /// `compound_head()` to the unmovable slab page and refuses: -EBUSY at pageblock 0x80600 (at
    /// 0x80000 first when the low half holds an unmovable page too).
    @Test func fixedReturnsEbusy() {
        for busy in [false, true] {
            let m = machine(V519.self, lowHalfBusy: busy)
            let r = m.offlineBlock(0)
            #expect(r.result == .ebusy)
            #expect(r.detail == "has_unmovable_pages in pageblock at \(busy ? "0x80000" : "0x80600")", "busy \(busy)")
            #expect(m.faults.isEmpty)
            #expect((0x80000..<0x80800).allSatisfy { m.blockType($0) != .isolate })
            #expect(m.structuralViolations().isEmpty)
        }
    }

    /// Issue 18 item 4: an `alloc_contig_range` that v11 turns into a fault is not an -EBUSY.
    /// [0x80600, 0x80800): v11 treats the slab page ending at 0x80800 as straddling and walks
    /// below ram_start (fault); v5.19 refuses the range (has_unmovable_pages on the slab page's
    /// tail, -EBUSY). contig_ebusy is 0 for v11 and 1 for v5.19 — fewer, not better: contig_faults
    /// says 1, and contig_failures (-EBUSY + faults + other errors) is 1 for both.
    @Test func aFaultedContigAttemptIsCountedAsAFailureNotAnEbusy() {
        let program = Program(layout: layout(.arm64_4k, pages: 8192, ramStart: 0x80000, block: 2048), events: [
            ProgramEvent(.allocAt(pfn: 0x80400, request: 0, order: 10, type: .unmovable, compound: true, gfp: nil), script: 0),
            ProgramEvent(.allocAt(pfn: 0x80000, request: 1, order: 10, type: .unmovable, compound: false, gfp: nil), script: 1),
            ProgramEvent(.contig(start: 0x80600, pages: 512, hold: true), script: 2),
        ], requestCount: 2)
        let v11 = Simulation<V11>(program).run(), fixed = Simulation<V519>(program).run()
        #expect(v11.ops.map(\.result) == [.ok, .ok, .fault])
        #expect([v11.metrics["contig_ebusy"], v11.metrics["contig_faults"], v11.metrics["contig_failures"]] == [0, 1, 1])
        #expect(fixed.ops.map(\.result) == [.ok, .ok, .ebusy])
        #expect([fixed.metrics["contig_ebusy"], fixed.metrics["contig_faults"], fixed.metrics["contig_failures"]] == [1, 0, 1])
    }

    @Test func registryHasStableIds() {
        // Ids stored results refer to must stay; new variants may be added anywhere.
        let stored = ["linux-3.5", "minchan-2012-06-18", "minchan-2012", "linux-3.6", "linux-3.7",
                      "linux-3.8", "linux-3.18", "linux-4.6", "linux-5.18", "zi-yan-v11", "linux-5.19",
                      "linux-6.1", "linux-6.9", "linux-6.10", "linux-6.12", "linux-6.17"]
        #expect(stored.filter { Variants.named($0) == nil } == [])
        #expect(Variants.ids.filter(stored.contains) == stored)   // and keep their order
        #expect(Set(Variants.ids).count == Variants.all.count)
    }
}
