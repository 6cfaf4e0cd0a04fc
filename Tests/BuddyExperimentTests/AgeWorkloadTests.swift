import BuddyCore
import Foundation
@testable import BuddyExperiment
import Testing

/// `age:` phases, `reclaim:` and `series:` (issue 23): classes, lifetimes, hashes, errors.
@Suite struct AgeWorkloadTests {
    func experiment(_ age: String, extra: String = "") throws -> Experiment {
        try Experiment.decode(yaml: Snippet.experiment(workload: "workload:\n  - age:\n" + age, extra: extra))
    }

    @Test func fixedLifetimesFreeExactlyNStepsLater() throws {
        let e = try experiment("""
                  steps: 5
                  classes: { kernel: { share: 100%, lifetime: { fixed: 3 } } }
            """)
        let p = WorkloadGenerator.generate(e, seed: 1).program
        let kinds: [String] = p.events.map {
            switch $0.op {
            case let .alloc(r, 0, .unmovable, -1, nil, gfp) where gfp == .kernel: "a\(r)"
            case let .free(r): "f\(r)"
            case .sample(.agePhase): "s"
            default: "?"
            }
        }
        #expect(kinds == ["a0", "a1", "a2", "f0", "a3", "f1", "a4", "f2", "s"])
        #expect(p.pageClasses == Array(repeating: PageClass.kernel.rawValue, count: 5))
        #expect(p.agingMetrics && p.reclaim == nil && p.seriesEvery == 0)
    }

    @Test func classesCarryTheirMasksAndPageClasses() throws {
        let e = try experiment("""
                  steps: 2000
                  thp: always
                  classes:
                    page_cache: { share: 40% }
                    anon: { share: 30%, lifetime: { exponential: 100 } }
                    slab: { share: 20%, reclaimable: 50%, lifetime: { pareto: { scale: 10, shape: 1.5 } } }
                    highorder: { share: 10%, order: 9 }
            """, extra: "reclaim: { swap: true }\nseries: { every: 100 }")
        let p = WorkloadGenerator.generate(e, seed: 7).program
        var seen: Set<String> = []
        for ev in p.events {
            guard case let .alloc(r, order, type, _, _, gfp?) = ev.op else { continue }
            let c = PageClass(rawValue: p.pageClasses[Int(r)]) ?? .none
            switch c {
            case .pageCache: #expect(order == 0 && type == .movable && gfp == .highuserMovable)
            case .anon: #expect(order == 9 && gfp == .transhugeLight)        // HPAGE_PMD_ORDER, defrag madvise
            case .slabReclaimable: #expect(order <= 3 && type == .reclaimable && gfp == [.kernel, .reclaimable])
            case .slabUnmovable: #expect(order <= 3 && type == .unmovable && gfp == .kernel)
            case .highOrder: #expect(order == 9 && gfp == [.highuserMovable, .retryMayfail])
            default: Issue.record("unexpected class \(c)")
            }
            seen.insert(c.name)
        }
        #expect(seen == ["page_cache", "anon", "slab_reclaimable", "slab_unmovable", "highorder"])
        #expect(p.reclaim == ReclaimConfig(swap: true) && p.seriesEvery == 100)
        // Same seed, same stream and hash; another seed, another.
        #expect(WorkloadGenerator.generate(e, seed: 7).sha256 == WorkloadGenerator.generate(e, seed: 7).sha256)
        #expect(WorkloadGenerator.generate(e, seed: 7).sha256 != WorkloadGenerator.generate(e, seed: 8).sha256)
    }

    @Test func lifetimeMathMatchesLibmAndTheMeans() {
        for x in [1e-12, 0.001, 0.25, 0.5, 0.999, 1.0] {
            #expect(abs(LifetimeSampling.ln(x) - log(x)) <= 1e-13 * max(1, abs(log(x))))
        }
        for y in [-30.0, -1.0, 0.0, 0.3, 5.0, 40.0] {
            #expect(abs(LifetimeSampling.exp(y) - exp(y)) <= 1e-14 * exp(y))
        }
        var rng = SplitMix64(seed: 3)
        var sum = 0
        for _ in 0..<100_000 { sum += LifetimeSampling.draw(.exponential(mean: 1000), &rng) ?? 0 }
        // ceil of an exponential with mean 1000 has mean ≈ 1000.5; 100 000 draws: σ ≈ 3.2.
        #expect(abs(Double(sum) / 100_000 - 1000.5) < 20)
        var minimum = Int.max
        for _ in 0..<10_000 { minimum = min(minimum, LifetimeSampling.draw(.pareto(scale: 50, shape: 2), &rng) ?? 0) }
        // x_m · U^(−1/α) > x_m for U < 1, rounded up: 51 is the shortest (P ≈ 3.9 % per draw).
        #expect(minimum == 51)
        #expect(LifetimeSampling.draw(.untilPressure, &rng) == nil)
    }

    @Test func badAgeInputIsLocated() {
        let slab = decodeError(Snippet.experiment(workload: """
            workload:
              - age:
                  steps: 10
                  classes: { slab: { share: 100%, orders: { 4: 100% } } }
            """))
        #expect(slab?.message.contains("slab order 4 is above slub_max_order") == true)
        let shares = decodeError(Snippet.experiment(workload: """
            workload:
              - age:
                  steps: 10
                  classes: { kernel: { share: 60% }, page_cache: { share: 30% } }
            """))
        #expect(shares?.message.contains("class share percentages sum to 90%") == true)
        let anon = decodeError(Snippet.experiment(workload: """
            workload:
              - age:
                  steps: 10
                  thp: always
                  classes: { anon: { share: 100%, orders: { 0: 100% } } }
            """))
        #expect(anon?.message.contains("anon orders are set by thp: always") == true)
        let lifetime = decodeError(Snippet.experiment(workload: """
            workload:
              - age: { steps: 10, classes: { kernel: { share: 100%, lifetime: forever } } }
            """))
        #expect(lifetime?.message.contains("until_pressure") == true)
    }

    /// `zones_from_zoneinfo`: each zone of the capture VM's zoneinfo at its managed pages,
    /// rounded up to max-order blocks (1024 pages): DMA 3840 → 4096, DMA32 772917 → 773120,
    /// Normal 2260992 (already whole blocks) — not the 21 GiB span of Normal.
    @Test func traceMachinesAreSizedFromManagedPages() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("trace-ls-perf.yaml").path)
        #expect(e.machine.layout.zones.map(\.name) == ["DMA", "DMA32", "Normal"])
        #expect(e.machine.layout.zones.map(\.pages) == [4096, 773120, 2260992])
        let both = decodeError(Snippet.experiment(machine: """
            machine:
              zones_from_zoneinfo: x.txt
              zones:
                - { name: Normal, size: 128MiB }
            """))
        #expect(both?.message.contains("either zones: or zones_from_zoneinfo:") == true)
    }
}
