import BuddyExperiment
import BuddyResults
import Testing

/// `Testing` also has an `Expectation` type.
typealias Expect = BuddyExperiment.Expectation

@Suite struct ExpectationsTests {
    private func run(_ variant: String, seed: UInt64, metrics: [String: Int], ops: [OpOutcome] = []) -> RunResult {
        RunResult(variant: variant, seed: seed, workloadSHA256: "", metrics: metrics, ops: ops, faults: [])
    }

    private var runs: [RunResult] {
        [
            run("linux-5.18", seed: 1, metrics: ["contig_successes": 0, "nr_free_pages_drift": 4],
                ops: [OpOutcome(index: 0, op: "contig", result: "ebusy", detail: "isolation failed at pfn 0x600")]),
            run("linux-5.18", seed: 2, metrics: ["contig_successes": 2, "nr_free_pages_drift": 0],
                ops: [OpOutcome(index: 0, op: "contig", result: "ebusy")]),
            run("linux-5.19", seed: 1, metrics: ["contig_successes": 5, "nr_free_pages_drift": 0],
                ops: [OpOutcome(index: 0, op: "contig", result: "ok")]),
            run("linux-5.19", seed: 2, metrics: ["contig_successes": 6, "nr_free_pages_drift": 0],
                ops: [OpOutcome(index: 0, op: "contig", result: "ok")]),
        ]
    }

    private func outcome(_ e: Expect) -> ExpectationOutcome { Expectations.evaluate(e, runs: runs) }

    @Test func metricBoundsHoldOnlyIfEverySeedHolds() {
        #expect(outcome(Expect(variant: "linux-5.19", check: .metric("contig_successes", [.min(5)]), line: 1)).passed)
        let failed = outcome(Expect(variant: "linux-5.18", check: .metric("contig_successes", [.equals(0)]), line: 1))
        #expect(!failed.passed)
        #expect(failed.detail == "linux-5.18 seed 2: got 2, expected 0")
        #expect(failed.text == "linux-5.18: contig_successes equals 0")
        let range = outcome(Expect(variant: "linux-5.19", check: .metric("contig_successes", [.min(1), .max(5)]), line: 1))
        #expect(range.detail == "linux-5.19 seed 2: got 6, expected at most 5")
        #expect(outcome(Expect(variant: nil, check: .metric("contig_successes", [.notEquals(1)]), line: 1)).passed)
    }

    @Test func allCoversEveryVariant() {
        let e = Expect(variant: nil, check: .metric("nr_free_pages_drift", [.equals(0)]), line: 3)
        let o = outcome(e)
        #expect(!o.passed)
        #expect(o.detail == "linux-5.18 seed 1: got 4, expected 0")
        #expect(o.line == 3)
        #expect(o.text == "all: nr_free_pages_drift equals 0")
    }

    @Test func opResults() {
        #expect(outcome(Expect(variant: "linux-5.19", check: .op(index: 0, result: "ok"), line: 1)).passed)
        let o = outcome(Expect(variant: "linux-5.18", check: .op(index: 0, result: "ok"), line: 1))
        #expect(!o.passed)
        #expect(o.detail == "linux-5.18 seed 1: got ebusy (isolation failed at pfn 0x600); linux-5.18 seed 2: got ebusy")
        #expect(!outcome(Expect(variant: "linux-5.19", check: .op(index: 1, result: "ok"), line: 1)).passed)
    }

    @Test func comparisonsBetweenVariantsAreSeedBySeed() {
        let better = Expect(variant: "linux-5.19", check: .metric("contig_successes", [.greaterThanVariant("linux-5.18")]), line: 1)
        #expect(outcome(better).passed)
        let worse = Expect(variant: "linux-5.18", check: .metric("nr_free_pages_drift", [.equalsVariant("linux-5.19")]), line: 1)
        #expect(outcome(worse).detail == "linux-5.18 seed 1: got 4, expected equal to linux-5.19's 0")
        let missing = Expect(variant: "linux-5.19", check: .metric("contig_successes", [.lessThanVariant("linux-3.5")]), line: 1)
        #expect(outcome(missing).passed && outcome(missing).skipped)
    }

    /// `variant: all` against a peer compares every other variant with it; the peer is not
    /// compared with itself (which `less_than`/`greater_than` would always fail).
    @Test func allAgainstAPeerLeavesThePeerOut() {
        let above = Expect(variant: nil, check: .metric("contig_successes", [.greaterThanVariant("linux-5.18")]), line: 1)
        #expect(outcome(above).passed && !outcome(above).skipped)
        let below = Expect(variant: nil, check: .metric("contig_successes", [.lessThanVariant("linux-5.18")]), line: 1)
        #expect(outcome(below).detail == "linux-5.19 seed 1: got 5, expected less than linux-5.18's 0; "
                                      + "linux-5.19 seed 2: got 6, expected less than linux-5.18's 2")
    }

    @Test func variantsThatDidNotRunAreSkipped() {
        let o = outcome(Expect(variant: "linux-3.5", check: .metric("contig_successes", [.equals(0)]), line: 1))
        #expect(o.passed && o.skipped)
        #expect(Expectations.allPassed([o]))
    }
}
