import BuddyResults
import Foundation
import Testing

@Suite("Comparison between two revisions")
struct ComparisonTests {
    static let before: [String: Int] = [
        "contig_successes": 10, "alloc_failures": 0, "nr_free_pages_drift": -4, "events": 1000,
        "faults": 2, "largest_free_order": 10, "custom_metric": 5,
    ]

    @Test func injectedRegressionIsFlagged() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        var after = Self.before
        after["contig_successes"] = 5        // higher is better: −50% → regression
        after["alloc_failures"] = 1          // lower is better, from 0: counts as 100% → regression
        after["nr_free_pages_drift"] = 4     // zero is better, same magnitude → not worse
        after["events"] = 5000               // neutral: never a regression
        after["faults"] = 0                  // improvement
        after["largest_free_order"] = 10 - 0 // unchanged
        after["custom_metric"] = 1           // unknown to the catalog: neutral
        for seed: UInt64 in [1, 2] {
            try store.write(Fixtures.record(commit: Fixtures.commit(1), seed: seed, metrics: Self.before))
            try store.write(Fixtures.record(commit: Fixtures.commit(2), seed: seed, metrics: after))
        }
        // A seed only B has is left out: means must cover the same request streams.
        try store.write(Fixtures.record(commit: Fixtures.commit(2), seed: 3, metrics: ["contig_successes": 1000]))
        // Only A has this variant.
        try store.write(Fixtures.record(commit: Fixtures.commit(1), variant: "linux-5.19", metrics: Self.before))

        let (comparison, problems) = store.compare(commit: Fixtures.commit(1), with: String(Fixtures.commit(2).prefix(12)),
                                                   experiment: "neighbour-unmovable", thresholdPercent: 5)
        #expect(problems.isEmpty)
        #expect(comparison.hasRegression)
        #expect(comparison.regressions.map(\.metric) == ["alloc_failures", "contig_successes"])
        let row = try #require(comparison.rows.first { $0.metric == "contig_successes" })
        #expect(row.a == 10 && row.b == 5 && row.delta == -5 && row.deltaPercent == -50)
        #expect(row.polarity == .higherIsBetter && row.worseningPercent == 50 && row.seeds == 2)
        let failures = try #require(comparison.rows.first { $0.metric == "alloc_failures" })
        #expect(failures.deltaPercent == 100 && failures.worseningPercent == 100)
        let drift = try #require(comparison.rows.first { $0.metric == "nr_free_pages_drift" })
        #expect(!drift.regression && drift.polarity == .zeroIsBetter)
        #expect(comparison.rows.first { $0.metric == "custom_metric" }?.polarity == .neutral)
        #expect(comparison.rows.map(\.metric) == comparison.rows.map(\.metric).sorted())
        #expect(comparison.gaps == [ComparisonGap(experiment: "neighbour-unmovable", variant: "linux-5.19",
                                                  metric: nil, side: .onlyA)])
    }

    @Test func improvementsAndSmallChangesPass() {
        var after = Self.before
        after["contig_successes"] = 11
        after["largest_free_order"] = 10
        after["faults"] = 1
        let a = [Fixtures.record(commit: Fixtures.commit(1), metrics: Self.before)]
        let b = [Fixtures.record(commit: Fixtures.commit(2), metrics: after)]
        #expect(!ResultStore.compare(a, b, thresholdPercent: 5).hasRegression)

        after["largest_free_order"] = 9  // −10%
        let worse = [Fixtures.record(commit: Fixtures.commit(2), metrics: after)]
        #expect(ResultStore.compare(a, worse, thresholdPercent: 5).regressions.map(\.metric) == ["largest_free_order"])
        #expect(!ResultStore.compare(a, worse, thresholdPercent: 10).hasRegression, "exactly at the threshold is not beyond it")
    }

    @Test(arguments: [
        (Polarity.higherIsBetter, 10.0, 8.0, 20.0), (.higherIsBetter, 10, 12, 0),
        (.lowerIsBetter, 10, 12, 20), (.lowerIsBetter, 0, 2, 100), (.lowerIsBetter, 0, 0, 0),
        (.zeroIsBetter, -4, 6, 50), (.zeroIsBetter, 4, -4, 0), (.zeroIsBetter, 0, -1, 100),
        (.neutral, 1, 1000, 0),
    ])
    func worseningRule(polarity: Polarity, a: Double, b: Double, expected: Double) {
        #expect(ResultStore.worsening(polarity, from: a, to: b) == expected)
    }
}
