import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// Issue 18, guards: every variant declares the counters its design lets drift; any other drift
/// of NR_FREE_PAGES or NR_FREE_CMA_PAGES against the free lists is an invariant violation in every
/// run; every bundled experiment expects 0 invariant violations of every variant.
@Suite struct DriftGuardTests {
    /// Every bundled experiment carries `{ variant: all, metric: invariant_violations, equals: 0 }`.
    @Test(arguments: Paths.yamlFiles(in: Paths.experiments))
    func everyBundledExperimentExpectsNoViolations(_ url: URL) throws {
        let e = try Experiment.load(contentsOf: url.path)
        #expect(e.expectations.contains {
            $0.variant == nil && $0.check == .metric("invariant_violations", [.equals(0)])
        }, "\(url.lastPathComponent)")
    }

    /// The declarations: the v6.10+ accounting (`account_freepages()` in the list primitives,
    /// v6.10 mm/page_alloc.c) lets nothing drift, nor does mainline's design F (v3.8+
    /// `set_migratetype_isolate` moving the moved pages out of both counters) or design C;
    /// designs A, B, D and E are about NR_FREE_PAGES going wrong and declare it, and so does Zi
    /// Yan's v11 as posted (its boundary flip counts nothing; 86d28b070927 added the decrement),
    /// and so do the merge rules before v4.6 (merging across ISOLATE: Hanjun Guo's over-count,
    /// closed by d9dddbf55667) — which puts every 2012–2014 variant on the list.
    @Test func declarations() {
        func declared<S: StrategySet>(_: S.Type) -> DriftingCounters { S.declaredDrift }
        var byVariant: [String: DriftingCounters] = [:]
        for v in Variants.all { byVariant[v.id] = declared(v.strategies) }
        #expect(byVariant.count == Variants.all.count)
        let drifting = Set(byVariant.filter { !$0.value.isEmpty }.keys)
        #expect(drifting == ["linux-3.5", "minchan-2012-06-18", "minchan-2012", "linux-3.6", "linux-3.7", "linux-3.8",
                             "linux-3.18", "zi-yan-v11"])
        for v in Variants.all where v.freeLists != FreeListsScattered.id { #expect(byVariant[v.id] == [], "\(v.id)") }
    }

    typealias V519 = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
    typealias V35 = Combine<MaxOrderAlignment, AccountingOriginal, MergeRules2012, Era2012>

    /// A counter off by one page is a violation for a design that does not declare it, and
    /// only drift (the metric) for one that does.
    @Test func undeclaredDriftIsAViolation() {
        let layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0, zones: [ZoneSpec(name: "Normal", pages: 0x8000)], memoryBlockPages: 0x8000)
        let f = Machine<V519>(layout: layout)
        #expect(f.undeclaredDrift().isEmpty)
        f.zone[0].nrFreePages += 1
        #expect(f.undeclaredDrift() == ["zone 0: NR_FREE_PAGES 32769 ≠ 32768 free on the lists (drift 1, undeclared)"])
        f.zone[0].nrFreePages -= 1
        f.zone[0].nrFreeCMAPages -= 2
        #expect(f.undeclaredDrift() == ["zone 0: NR_FREE_CMA_PAGES -2 ≠ 0 on the CMA lists (drift -2, undeclared)"])
        let a = Machine<V35>(layout: layout)
        a.zone[0].nrFreePages += 1
        #expect(a.undeclaredDrift().isEmpty && a.drift().nrFreePages == 1)
        #expect(a.undeclaredDrift(allowed: []).count == 1)
    }

    /// In a run: linux-3.5's design-A drift on offline-online-drift is reported as drift and
    /// is not a violation; every other variant of the bundled experiment has none undeclared.
    @Test func bundledDriftExperimentKeepsItsDriftAsAMetric() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("offline-online-drift.yaml").path)
        let run = ExperimentRunner(jobs: 2).run(try e.selecting(variants: e.variants, seedCount: 1))
        for r in run.runs { #expect(r.metrics["invariant_violations"] == 0, "\(r.variant)") }
        #expect(run.runs.contains { $0.metrics["nr_free_pages_drift"] != 0 })
        for r in run.runs where r.metrics["nr_free_pages_drift"] != 0 {
            let v = try #require(Variants.named(r.variant))
            func declared<S: StrategySet>(_: S.Type) -> DriftingCounters { S.declaredDrift }
            #expect(declared(v.strategies).contains(.nrFreePages), "\(r.variant) drifts without declaring it")
        }
    }
}
