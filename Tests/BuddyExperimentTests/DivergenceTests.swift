import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// `buddylab diverge`: the first event after which two variants' observable state differs.
@Suite struct DivergenceTests {
    func finder(_ file: String, _ a: String, _ b: String, seed: UInt64 = 1, fullEvery: Int? = nil) throws -> DivergenceFinder {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent(file).path)
        let program = WorkloadGenerator.generate(e, seed: seed).program
        return DivergenceFinder(program: program, a: try #require(Variants.named(a)), b: try #require(Variants.named(b)),
                                fullEvery: fullEvery)
    }

    /// §10 case 13 (hanjun-cma-race): op 5 frees p1 (pfn 0x600, order 9) while P0 = [0x400, 0x600)
    /// is ISOLATE and P1 is CMA. linux-3.18's 3c605096d315 checks only the freeing side, so
    /// `__free_one_page` merges with the ISOLATE buddy at 0x400 into one order-10 block on the
    /// freeing side's CMA list; d9dddbf55667 (linux-4.6) refuses to merge across an isolated
    /// pageblock, leaving two order-9 blocks, one per list.
    @Test func hanjunRaceDivergesAtTheFreeBetweenTheIsolations() throws {
        let d = try #require(try finder("hanjun-cma-race.yaml", "linux-3.18", "linux-4.6").find())
        #expect(d.event == 5)
        #expect(d.eventText == "free request #3 [script op 5]")
        #expect(d.outcomes?.0 == StepOutcome(result: "ok", detail: "freed pfn 0x600 order 9"))
        #expect(d.outcomes?.1 == StepOutcome(result: "ok", detail: "freed pfn 0x600 order 9"))
        #expect(d.differences == [
            "after the free of pfn 0x600 order 9: linux-3.18 merged to order 10 at 0x400 on CMA; linux-4.6 stopped at "
                + "order 9 at 0x600 on CMA — buddy 0x400 order 9 is free on ISOLATE",
            "free_area[9].nr_free (zone Normal): linux-3.18 0, linux-4.6 2",
            "free_area[10].nr_free (zone Normal): linux-3.18 1, linux-4.6 0",
            "pfn 0x400–0x7ff: linux-3.18 free order 10 at 0x400 on CMA; linux-4.6 free order 9 at 0x400 on ISOLATE, "
                + "free order 9 at 0x600 on CMA",
        ])
    }

    /// Same merge rules and accounting on this script: no divergence at all.
    @Test func identicalDesignsNeverDiverge() throws {
        #expect(try finder("hanjun-cma-race.yaml", "linux-5.18", "linux-5.19").find() == nil)
    }

    /// §10 cases 10–11 (qian-cai-offline): the fill and churn are identical in v5.19 and v11
    /// (same allocator); they first part at op 1, offline of block 0, where v5.19's
    /// `isolate_single_pageblock` skips the order-10 slab page and fails with -EBUSY, and v11
    /// meets it again after "migrating" it (an unbounded loop, recorded as a fault).
    @Test func qianCaiDivergesAtTheOffline() throws {
        let f = try finder("qian-cai-offline.yaml", "linux-5.19", "zi-yan-v11")
        let d = try #require(f.find())
        #expect(d.event == 81861 && d.eventCount == 81863)  // op 1 is the second-last event
        #expect(d.eventText == "offline memory block 0 [script op 1]")
        #expect(d.outcomes?.0.result == "ebusy" && d.outcomes?.1.result == "fault")
        #expect(d.differences.contains("faults: linux-5.19 0, zi-yan-v11 1"))
        #expect(f.fullEvery == 4096)  // long workload: sparse full comparisons, exact by re-run
    }

    /// A difference the cheap comparison cannot see: on the imported 6.18 state (proc-6-18) both
    /// designs fail the 11th 2 MiB alloc_contig_range (an UNMOVABLE pageblock, seed 1) with -EBUSY and
    /// keep every count, but the engine's v5.19 leaves that pageblock MOVABLE. The cheap
    /// comparison sees a difference only events later; the re-run from the last full comparison
    /// names event 10.
    @Test func unseenDifferenceIsFoundByTheRerun() throws {
        let f = try finder("proc-6-18.yaml", "linux-5.18", "linux-5.19")
        #expect(f.fullEvery == 4096)
        let d = try #require(f.find())
        #expect(d.event == 10)
        #expect(d.eventText == "alloc_contig_range 0x18be00+512")
        #expect(d.outcomes?.0 == d.outcomes?.1)
        #expect(d.differences == ["pageblock at pfn 0x18be00: linux-5.18 UNMOVABLE, linux-5.19 MOVABLE"])
    }
}
