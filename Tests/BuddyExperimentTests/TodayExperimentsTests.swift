import BuddyExperiment
import Foundation
import Testing

/// The issue-15 experiments end to end through the runner (workload generation with CPUs,
/// the per-variant strategy sets, the new metrics).
@Suite struct TodayExperimentsTests {
    /// experiments/isolate-bit.yaml: the failed `start_isolate_page_range` undoes blocks 4, 5, 7
    /// (first, last, then the middle until block 6 fails): ≤ v6.15 they come back MOVABLE (3
    /// retyped, map MMMMMMUM), with 3370f8ab4502 they keep RECLAIMABLE/UNMOVABLE (0, MMMMRRUU).
    @Test func isolateBitKeepsEachBlocksType() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("isolate-bit.yaml").path)
        let result = ExperimentRunner(jobs: 2).run(e)
        #expect(result.runs.count == 6)
        for r in result.runs {
            let bit = r.variant == "linux-6.17"
            #expect(r.metrics["isolation_retyped_pageblocks"] == (bit ? 0 : 3), "\(r.variant)")
            #expect(r.extras?.pageblockMap["Normal"] == (bit ? "MMMMRRUU" : "MMMMMMUM"), "\(r.variant)")
            #expect(r.ops.map(\.result) == Array(repeating: "ok", count: 7) + ["ebusy"], "\(r.variant)")
            #expect(r.metrics["invariant_violations"] == 0)
        }
    }

    /// experiments/pcp-stale-migratetype.yaml, first seed: stale pcp migratetypes leave free pages
    /// on the wrong lists under linux-6.9, none under linux-6.10; both runs see the same
    /// (two-CPU) workload; the counters stay exact (pcp pages are in neither).
    @Test func staleMigratetypeMisplacesPagesUntilTheHygieneSeries() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("pcp-stale-migratetype.yaml").path)
        #expect(e.machine.layout.cpus == 2)
        let result = ExperimentRunner(jobs: 2).run(try e.selecting(variants: ["linux-6.9", "linux-6.10"], seedCount: 1))
        let byVariant = Dictionary(uniqueKeysWithValues: result.runs.map { ($0.variant, $0) })
        let old = try #require(byVariant["linux-6.9"]), new = try #require(byVariant["linux-6.10"])
        #expect((old.metrics["misplaced_free_pages"] ?? 0) > 0)
        #expect(new.metrics["misplaced_free_pages"] == 0)
        #expect(old.workloadSHA256 == new.workloadSHA256)
        for r in [old, new] {
            #expect(r.metrics["nr_free_pages_drift"] == 0)
            #expect((r.metrics["pcp_pages"] ?? 0) > 0)
            #expect(r.metrics["invariant_violations"] == 0)
        }
    }

    /// experiments/highatomic-watermark.yaml: one fully used 512-page HIGHATOMIC reserve and
    /// 1024 free pages. `__zone_watermark_unusable_free` with `nr_reserved_highatomic` (v4.4 until the fix):
    /// 1024 − 512 = 512, not above min (512): the check fails and an order-0 request gets
    /// nothing. With `nr_free_highatomic` (Yu Zhao, in Debian's 6.12): 1024 − 0, both pass
    /// (the request refills the pcp list with `batch` = 15 pages).
    @Test func freeHighatomicTrackingPassesTheCheckTheReserveTermFails() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("highatomic-watermark.yaml").path)
        let result = ExperimentRunner(jobs: 2).run(e)
        #expect(result.runs.count == 4)
        for r in result.runs {
            let fixed = r.variant == "linux-6.12"
            #expect(r.ops.map(\.result) == ["ok", "ok", "ok", fixed ? "ok" : "fail", fixed ? "ok" : "enomem"], "\(r.variant)")
            #expect(r.ops[3].detail?.hasPrefix("NR_FREE_PAGES 1024,") == true, "\(r.variant)")
            #expect(r.metrics["nr_free_pages"] == (fixed ? 1024 - 15 : 1024), "\(r.variant)")
            #expect(r.metrics["invariant_violations"] == 0)
        }
    }
}
