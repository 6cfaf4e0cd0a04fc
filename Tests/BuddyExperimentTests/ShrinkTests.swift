import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// `buddylab shrink`: ddmin over the expanded events, written back as an ops: experiment.
@Suite struct ShrinkTests {
    func load(_ file: String) throws -> Experiment {
        try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent(file).path)
    }

    func shrink(_ file: String, _ variant: String, _ until: String) throws -> (Shrinker.Outcome, Experiment) {
        let e = try load(file)
        let v = try #require(Variants.named(variant))
        let c = try ShrinkCondition(until, expectations: e.expectations, variant: variant)
        let outcome = try Shrinker(experiment: e, variant: v, seed: 1, condition: c).shrink()
        let shrunk = try Experiment.decode(yaml: outcome.yaml, file: "shrunk.yaml")
        return (outcome, shrunk)
    }

    func run(_ e: Experiment, _ variant: String) throws -> RawRun {
        try #require(Variants.named(variant)).run(WorkloadGenerator.generate(e, seed: 1).program, RunOptions())
    }

    /// §10 case 7: Minchan's 2012-06-18 design subtracts an offlined block's free pages from
    /// NR_FREE_PAGES although isolation already did (kernel-reference §8 design B), so one
    /// `offline_pages` of the idle 128 MiB block 2 alone drifts by −32768: the five cycles of
    /// the experiment shrink to that one op.
    @Test func offlineOnlineDriftShrinksToOneOffline() throws {
        let (outcome, shrunk) = try shrink("offline-online-drift.yaml", "minchan-2012-06-18", "nr_free_pages_drift != 0")
        #expect(outcome.originalEvents == 15)
        #expect(outcome.kept.map(\.op) == [.offline(block: 2)])
        #expect(!outcome.budgetExhausted)
        #expect(shrunk.variants == ["minchan-2012-06-18"] && shrunk.seeds == [1])
        #expect(shrunk.machine.layout == (try load("offline-online-drift.yaml")).machine.layout)
        let raw = try run(shrunk, "minchan-2012-06-18")
        #expect(raw.metrics["nr_free_pages_drift"] == -32768 && raw.metrics["offline_ok"] == 1)
    }

    /// §10 case 13: the race needs only P1 allocated, P0 isolated, P1 freed (merging across the
    /// ISOLATE|CMA boundary under 3c605096d315's freeing-side-only check), P0 un-isolated: +512.
    @Test func hanjunRaceShrinksToFourOps() throws {
        let (outcome, shrunk) = try shrink("hanjun-cma-race.yaml", "linux-3.18", "nr_free_pages_drift > 0")
        #expect(outcome.kept.map(\.op) == [
            .allocAt(pfn: 0x600, request: 3, order: 9, type: .movable, compound: nil, gfp: nil),
            .isolate(start: 0x400, pages: 512), .free(request: 3), .unisolate(start: 0x400, pages: 512),
        ])
        #expect(try run(shrunk, "linux-3.18").metrics["nr_free_pages_drift"] == 512)
        #expect(try run(shrunk, "linux-4.6").metrics["nr_free_pages_drift"] == 0)
    }

    /// ddmin's own example shape: the two elements that matter survive, in order.
    @Test func ddminKeepsExactlyWhatMatters() {
        let r = DeltaDebugging.ddmin(Array(1...40), budget: 10_000) { $0.contains(7) && $0.contains(33) }
        #expect(r.kept == [7, 33] && !r.budgetExhausted)
        let capped = DeltaDebugging.ddmin(Array(1...40), budget: 3) { $0.contains(7) && $0.contains(33) }
        #expect(capped.budgetExhausted && capped.kept.contains(7) && capped.kept.contains(33))
    }

    @Test func conditions() throws {
        let e = try load("offline-online-drift.yaml")
        #expect(throws: ShrinkCondition.ParseError.self) { try ShrinkCondition("nr_free_pages_drfit != 0", expectations: [], variant: "x") }
        #expect(throws: ShrinkCondition.ParseError.self) { try ShrinkCondition("faults ~ 1", expectations: [], variant: "x") }
        #expect(throws: ShrinkCondition.ParseError.self) { try ShrinkCondition("expect:999", expectations: e.expectations, variant: "x") }
        // The experiment's own expectations hold for linux-3.8, so "some expect fails" does not hold.
        let c = try ShrinkCondition("expect", expectations: e.expectations, variant: "linux-3.8")
        #expect(throws: Shrinker.Failure.self) {
            _ = try Shrinker(experiment: e, variant: try #require(Variants.named("linux-3.8")), seed: 1, condition: c).shrink()
        }
    }
}
