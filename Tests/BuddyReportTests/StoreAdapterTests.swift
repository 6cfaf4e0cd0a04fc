import BuddyReport
import BuddyResults
import Testing

/// The store's computed history and comparison map onto the renderer inputs field for field.
@Suite struct StoreAdapterTests {
    @Test func historyFromStoreTable() {
        let commit = CommitRef(id: String(repeating: "a", count: 40), short: "aaaaaaaaaaaa", summary: "mm: x")
        let table = HistoryTable(
            rows: [BuddyResults.HistoryRow(commit: commit, values: ["v": ["faults": 2]], seeds: ["v": [1]],
                                           hasResults: true,
                                           firstMoves: [MetricKey(variant: "v", metric: "faults")])],
            moves: [], thresholdPercent: 7.5)
        let input = HistoryInput(name: "exp", table: table, metric: "faults")
        #expect(input.threshold == 7.5 && input.metric == "faults")
        #expect(input.rows == [HistoryInput.Row(short: "aaaaaaaaaaaa", summary: "mm: x", hasResults: true,
                                                values: ["v": ["faults": 2]],
                                                firstMove: [HistoryInput.Key(variant: "v", metric: "faults")])])
        #expect(renderMarkdown(input).contains("**⚠ 2**"))
    }

    @Test func compareFromStoreComparison() {
        let comparison = Comparison(
            thresholdPercent: 5,
            rows: [
                ComparisonRow(experiment: "e1", variant: "v", metric: "faults", a: 0, b: 2, delta: 2,
                              deltaPercent: 100, polarity: .lowerIsBetter, worseningPercent: 100,
                              regression: true, seeds: 3),
                ComparisonRow(experiment: "e2", variant: "v", metric: "faults", a: 1, b: 1, delta: 0,
                              deltaPercent: 0, polarity: .lowerIsBetter, worseningPercent: 0,
                              regression: false, seeds: 3),
            ],
            gaps: [ComparisonGap(experiment: "e1", variant: "w", metric: nil, side: .onlyB)])
        let input = CompareInput(name: nil, revA: .init(short: "a1", describe: "v1"),
                                 revB: .init(short: "b2", describe: "v2"), comparison: comparison)
        #expect(input.rows.count == 2 && input.rows[0].experiment == "e1")
        #expect(input.notes == ["e1 / w: only in b2"])
        let md = renderMarkdown(input)
        #expect(md.contains("| experiment | variant |"))
        #expect(md.contains("- e1 / w: only in b2"))
        #expect(md.contains("❌ 1 regression beyond ±5.00% (2 results compared)"))
    }
}
