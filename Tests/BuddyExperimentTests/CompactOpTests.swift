import BuddyExperiment
import Foundation
import Testing

/// The `compact` op end to end (BuddyCore/Compaction/): decoding, results and metrics.
@Suite struct CompactOpTests {
    /// A 16 MiB zone (4096 pages, min 128 / low 160) filled to 97 %: about 120 pages free,
    /// fewer than low + compact_gap(9) = 160 + 1024, so the order-9 attempt is COMPACT_SKIPPED
    /// (`skipped`, not a stall); compact_memory runs regardless (`ok`). The run gains the
    /// compaction metrics; an experiment without a compact op does not.
    @Test func skippedWhenTooFewPagesToMigrateInto() throws {
        let yaml = Snippet.experiment(workload: """
            workload:
              - fill: { until: 97% }
              - ops:
                  - compact: { zone: Normal, order: 9, priority: sync_full }
                  - compact: { zone: Normal }
            """, extra: "variants: [linux-6.1, linux-6.12]\n")
        let e = try Experiment.decode(yaml: yaml.replacingOccurrences(of: "128MiB", with: "16MiB"), file: "t.yaml")
        let result = ExperimentRunner(jobs: 1).run(e)
        #expect(result.runs.count == 2)
        for r in result.runs {
            #expect(r.ops.map(\.result) == ["skipped", "ok"], "\(r.variant)")
            #expect(r.ops.first?.detail?.hasPrefix("COMPACT_SKIPPED") == true)
            #expect(r.metrics["compact_stall"] == 0 && r.metrics["invariant_violations"] == 0)
            #expect(r.metrics["extfrag_index_9"] != nil && r.metrics["pgmigrate_success"] != nil)
        }
        let plain = try Experiment.decode(yaml: Snippet.experiment(workload: "workload:\n  - fill: { until: 50% }"), file: "t.yaml")
        for r in ExperimentRunner(jobs: 1).run(plain).runs { #expect(r.metrics["compact_stall"] == nil) }
    }
}
