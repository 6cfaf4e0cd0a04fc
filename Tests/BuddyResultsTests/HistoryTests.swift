import BuddyResults
import Foundation
import Testing

@Suite("History rows and first moves")
struct HistoryTests {
    let commits = [  // newest first, as `git log`
        CommitRef(id: Fixtures.commit(3), short: String(Fixtures.commit(3).prefix(12)), summary: "third"),
        CommitRef(id: Fixtures.commit(2), short: String(Fixtures.commit(2).prefix(12)), summary: "second"),
        CommitRef(id: Fixtures.commit(1), short: String(Fixtures.commit(1).prefix(12)), summary: "first"),
    ]

    @Test func threeCommitsWithResultsOnTwo() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        for seed: UInt64 in [1, 2] {
            try store.write(Fixtures.record(commit: Fixtures.commit(1), seed: seed,
                                            metrics: ["contig_successes": 10 + Int(seed), "faults": 0, "events": 100]))
            try store.write(Fixtures.record(commit: Fixtures.commit(3), seed: seed,
                                            metrics: ["contig_successes": 5 + Int(seed), "faults": 0, "events": 101]))
        }
        // A dirty run without --allow-dirty at the middle commit: not eligible, so still "no results".
        try store.write(Fixtures.record(commit: Fixtures.commit(2), metrics: ["contig_successes": 99], dirty: true))

        let (table, problems) = store.history(experiment: "neighbour-unmovable", commits: commits, thresholdPercent: 5)
        #expect(problems.isEmpty)
        #expect(table.rows.map(\.summary) == ["third", "second", "first"])
        #expect(table.rows.map(\.hasResults) == [true, false, true])
        #expect(table.rows[0].value(variant: "linux-5.18", metric: "contig_successes") == 6.5)
        #expect(table.rows[2].value(variant: "linux-5.18", metric: "contig_successes") == 11.5)
        #expect(table.rows[2].seeds["linux-5.18"] == [1, 2])
        #expect(table.rows[1].values.isEmpty)

        let key = MetricKey(variant: "linux-5.18", metric: "contig_successes")
        #expect(table.rows.map(\.firstMoves) == [[key], [], []], "events moved 1%: below the 5% threshold")
        let move = try #require(table.moves.first)
        #expect(table.moves.count == 1)
        #expect(move.commit.summary == "third" && move.previousCommit.summary == "first")
        #expect(move.from == 11.5 && move.to == 6.5)

        let series = table.series(variant: "linux-5.18", metric: "contig_successes")
        #expect(series.points.map(\.value) == [6.5, nil, 11.5])
        #expect(series.firstMove == move)
        #expect(table.keys.map(\.metric) == ["contig_successes", "events", "faults"])

        let withDirty = ResultStore.history(commits: commits, records: store.records().records,
                                            thresholdPercent: 5, eligibleOnly: false)
        #expect(withDirty.rows.map(\.hasResults) == [true, true, true])
    }

    @Test func onlyTheFirstMoveIsFlagged() {
        let values = [10, 10, 11, 20, 40]  // oldest → newest
        let refs = values.indices.map { CommitRef(id: Fixtures.commit($0), short: "s\($0)", summary: "c\($0)") }
        let records = values.indices.map {
            Fixtures.record(commit: Fixtures.commit($0), metrics: ["largest_free_order": values[$0], "faults": $0 == 4 ? 1 : 0])
        }
        let table = ResultStore.history(commits: refs.reversed(), records: records, thresholdPercent: 50)
        let moved = table.moves.map { "\($0.key.metric)@\($0.commit.summary)" }
        #expect(moved == ["faults@c4", "largest_free_order@c3"], "10→11 (10%) and 20→40 after the first move are not flagged")
        let drift = table.moves.first { $0.key.metric == "faults" }
        #expect(drift?.percent == 100, "a move off zero counts as 100%")
    }

    @Test func percentChangeRule() {
        #expect(ResultStore.percentChange(from: 0, to: 0) == 0)
        #expect(ResultStore.percentChange(from: 0, to: 3) == 100)
        #expect(ResultStore.percentChange(from: 0, to: -3) == -100)
        #expect(ResultStore.percentChange(from: -10, to: -5) == 50)
        #expect(ResultStore.percentChange(from: 8, to: 6) == -25)
    }
}
