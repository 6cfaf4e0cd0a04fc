import BuddyCore
import BuddyExperiment
import BuddyOracle
import Foundation
import Testing

/// The real-kernel column of `buddylab run --kernel` without booting: metrics computed from a
/// recorded 6.1.192 log (`kernel-6.1-neighbour-unmovable-cma64M.log`, from
/// /work/wt/oracle-samples: a page pinned at 0x2000 by `contig 0x2000 1`, then
/// alloc_contig_range of P1 = 0x2200+512 → ok and of P0 = 0x2000+512 → -EBUSY, isolations,
/// frees), the "not run on a real kernel" listing, the free window and the relocated batch.
@Suite struct KernelColumnTests {
    static let logName = "kernel-6.1-neighbour-unmovable-cma64M.log"

    /// Every command of the log as the result of op i.
    func plannedAll(_ log: OracleLog) -> [KernelRunPlan.PlannedCommand] {
        log.steps.enumerated().map { KernelRunPlan.PlannedCommand(command: $1.command, resultOf: $0) }
    }

    /// Counts from the driver's results; state metrics from the snapshot after the last command
    /// (`counters Normal nr_free_pages=124847`, the free lists summing to 124847 pages, none
    /// isolated, `nr_free` summing to 124847 pages, order-10 blocks free; 1,455 of the 124,847
    /// free pages are in blocks below pageblock order: unusable free index
    /// (124847 − 123392)·1000/124847 = 11.65 → 11, truncated as `Machine.unusableFreeIndex` does).
    @Test func metricsFromARecordedLog() throws {
        let log = try Fixture.log(Self.logName)
        let m = try KernelRunMetrics(log: log, commands: plannedAll(log), skippedFrees: []) { _ in "op" }
        #expect(m.metrics["contig_attempts"] == 3)
        #expect(m.metrics["contig_successes"] == 2)
        #expect(m.metrics["contig_ebusy"] == 1)
        #expect(m.metrics["allocs"] == 0 && m.metrics["alloc_failures"] == 0)
        #expect(m.metrics["frees"] == 2)
        #expect(m.metrics["nr_free_pages"] == 124847)
        #expect(m.metrics["free_pages_allocatable"] == 124847)
        #expect(m.metrics["isolated_free_pages"] == 0)
        #expect(m.metrics["nr_free_pages_drift"] == 0)
        #expect(m.metrics["nr_free_blocks_drift"] == 0)
        #expect(m.metrics["largest_free_order"] == 10)
        #expect(m.metrics["unusable_free_index"] == 11)
        #expect(m.ops.map(\.result) == ["ok", "ok", "ebusy", "ebusy", "ok", "ebusy", "ok", "ok", "ok", "ok"])
        #expect(m.ops[1].detail == "kernel: contig 0x2200 512 → ok handle=1 pfn=0x2200")
        // Not determined by the log: absent (the report shows –), never 0.
        for name in ["events", "mixed_pageblocks", "nr_free_pages_min", "pages_migrated", "faults",
                     "invariant_violations", "watermark_misjudgements", "cma_allocs", "offline_ok"] {
            #expect(m.metrics[name] == nil, "\(name)")
        }
        #expect(Set(m.metrics.keys) == Set(KernelRunMetrics.measured))
    }

    /// State 7, after `isolate 0x2400 1024 offline`: set_migratetype_isolate (mm/page_isolation.c,
    /// v6.1) moved the free order-10 block 0x2400 to the ISOLATE list and took its 1024 pages out
    /// of NR_FREE_PAGES (123310); nr_free still counts it (124334 = 123310 + 1024), so neither
    /// counter drifts from the lists.
    @Test func isolatedBlockMetrics() throws {
        let log = try Fixture.log(Self.logName)
        let s = try #require(log.steps.first { $0.index == 7 })
        let m = KernelRunMetrics.stateMetrics(s.state.snapshot, geometry: log.geometry)
        #expect(m["isolated_free_pages"] == 1024)
        #expect(m["nr_free_pages"] == 123310)
        #expect(m["free_pages_allocatable"] == 123310)
        #expect(m["nr_free_pages_drift"] == 0)
        #expect(m["nr_free_blocks_drift"] == 0)
    }

    @Test func aTruncatedLogIsAnError() throws {
        let log = try Fixture.log(Self.logName)
        var planned = plannedAll(log)
        planned.append(.init(command: .drain, resultOf: 10))
        #expect(throws: OracleLogError.self) { try KernelRunMetrics(log: log, commands: planned, skippedFrees: []) { _ in "op" } }
    }

    static let mixedYAML = """
        schema: 1
        name: kernel-plan
        description: not-run listing
        machine:
          preset: x86_64
          memory_block: 4MiB
          zones:
            - { name: Normal, size: 8MiB }
        variants: [linux-6.1]
        baseline: linux-6.1
        seeds: 1
        workload:
          - fill: { until: 50%, mix: { movable: 100% }, orders: { 0: 100% } }
          - ops:
              - alloc: { pfn: 0x400, order: 0, type: unmovable }
              - alloc: { order: 3, type: movable, as: a1 }
              - offline: { block: 1 }
              - cma_declare: { base: 6MiB, size: 2MiB }
              - contig: { start: "pfn:0x600", pages: 512 }
              - free: a1

        """

    func experiment(_ yaml: String) throws -> Experiment {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-plan-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Experiment.load(contentsOf: path)
    }

    /// Every phase and op without a driver command is listed with its reason, in order; the rest runs.
    @Test func notRunListing() throws {
        let plan = KernelRunPlan(try experiment(Self.mixedYAML))
        #expect(plan.notRun.map(\.description) == [
            "phase 1 fill (the driver has no command for fill phases: only ops: scripts run)",
            "op 0 alloc pfn 0x400 order 0 unmovable (alloc at an exact pfn: the driver cannot choose where alloc_pages lands)",
            "op 2 offline block 1 (memory hotplug: User-Mode Linux has no SPARSEMEM hotplug)",
            "op 3 cma_declare 0x600+512 (cma_declare: the driver's CMA area is reserved at boot (--cma))",
        ])
        #expect(plan.opIndices == [1, 4, 5])
        #expect(plan.needsWindow)
        #expect(plan.span == 0..<2048)
        var pfnless = plan
        pfnless.dropPfnOps(reason: "no window")
        #expect(pfnless.opIndices == [1, 5])
        #expect(pfnless.notRun.last?.description == "op 4 contig 0x600+512 (no window)")
    }

    /// `compact: { zone }` runs as the driver's `compact` (compact_node's pass); the op's direct
    /// form (`order:`) is listed as not run: the driver's direct compaction captures and
    /// allocates its page (compact_zone_order always passes a capture_control), the op's takes none.
    @Test func compactOpsPlan() throws {
        let yaml = Self.mixedYAML.components(separatedBy: "  - fill:")[0]
            + "  - ops:\n      - compact: { zone: Normal }\n      - compact: { zone: Normal, order: 9 }\n"
        let plan = KernelRunPlan(try experiment(yaml))
        #expect(plan.opIndices == [0])
        #expect(plan.notRun.map(\.description) == [
            "op 1 compact Normal order 9 async (compact with order: the driver's direct compaction captures and allocates the page (compact_zone_order always captures); the op's attempt takes none)",
        ])
    }

    /// An experiment of fill/churn phases only has nothing to run.
    @Test func nothingToRun() throws {
        let yaml = Self.mixedYAML.components(separatedBy: "  - ops:")[0]
        let plan = KernelRunPlan(try experiment(yaml))
        #expect(plan.isEmpty)
        #expect(plan.notRun.count == 1)
    }

    /// State 0 of the log: order-10 blocks 0x1800…0x1b400 on the movable list, the CMA area's
    /// from 0x1b800. The highest run of free non-CMA max-order blocks ends at 0x1b800.
    @Test func freeWindowBelowTheCMAArea() throws {
        let log = try Fixture.log(Self.logName)
        let s = log.initial.snapshot
        #expect(KernelRunPlan.window(pages: 1024, in: s, geometry: log.geometry) == 0x1b400)
        #expect(KernelRunPlan.window(pages: 1025, in: s, geometry: log.geometry) == 0x1b000)
        #expect(KernelRunPlan.window(pages: 1 << 20, in: s, geometry: log.geometry) == nil)
    }

    /// neighbour-unmovable's script relocated by +0x1b400: the alloc anywhere, the contig of
    /// P1 at 0x1b600 (op 1) and, the model's contig having succeeded, its follow-up free
    /// (no op of its own: the simulator's contig without `hold` frees the range itself).
    @Test func relocatedBatch() throws {
        let e = try Experiment.load(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments/neighbour-unmovable.yaml").path)
        let plan = KernelRunPlan(e)
        #expect(plan.notRun.isEmpty)
        #expect(plan.span == 0..<1024)
        let log = try Fixture.log(Self.logName)
        let model = try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: log)
        let (planned, skipped) = plan.commands(offset: 0x1b400, against: model)
        #expect(planned.map(\.command.text) == ["alloc 0 unmovable", "contig 0x1b600 512", "free 1"])
        #expect(planned.map(\.resultOf) == [0, 1, nil])
        #expect(skipped.isEmpty)
    }
}
