import BuddyResults
import Foundation
import Testing

/// Issue 5: `buddylab compare REV_A REV_B NAME` against a real store — two commits of a
/// throw-away repository, the experiment run at each.
@Suite struct CompareCommandTests {
    @Test func exitsOneAndNamesTheRegressionOnlyWhenThereIsOne() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let a = try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "a.json")
        let b = try ws.commit("NOTES", "unrelated\n", message: "docs: notes")
        try ws.run("tiny.yaml", json: "b.json")
        let atA = try ws.document("a.json")
        let store = ["--results", ws.results, "--repo", ws.repo]

        // The simulator is deterministic and the experiment unchanged: no regression, exit 0.
        let same = buddylab(["compare", "HEAD~1", "HEAD", TinyExperiment.name] + store)
        #expect(same.status == 0, "\(same.stderr)")
        let compared = atA.document.runs.filter { $0.seed == 1 }.reduce(0) { $0 + $1.metrics.count }
        #expect(same.stdout.contains("**Verdict:** ✅ no regressions beyond ±5.00% (\(compared) results compared)"))
        #expect(try header(same.stdout) == [["A (reference)", String(a.prefix(12))],
                                             ["B (candidate)", String(b.prefix(12))]])

        // Inject a regression at B: linux-5.19 loses every contig success on every seed.
        let variant = "linux-5.19", metric = "contig_successes"
        let before = atA.mean(metric, variant)
        try #require(before > 0, "the fixture must give \(variant) some contig successes")
        try rewriteRecords(in: ws.results, commit: b, variant: variant) { $0.metrics[metric] = 0 }

        // Short ids work as revspecs, as does HEAD~1 above.
        let shortA = try ws.git("rev-parse", "--short=7", a), shortB = try ws.git("rev-parse", "--short=7", b)
        let worse = buddylab(["compare", shortA, shortB, TinyExperiment.name] + store)
        #expect(worse.status == 1, "\(worse.stderr)")
        #expect(worse.stdout.contains("**Verdict:** ❌ 1 regression beyond ±5.00% (\(compared) results compared)"))
        let table = try #require(Markdown.tables(worse.stdout).first { $0.header.first == "variant" })
        #expect(table.header == ["variant", "metric", "better", "A " + a.prefix(12), "B " + b.prefix(12),
                                 "delta", "delta %", "status"])
        let regressions = table.rows.filter { $0.last == "❌ regression" }
        #expect(regressions == [[variant, "`\(metric)`", "↑", Expected.value(before), "0",
                                 Expected.signed(-before), "-100.00%", "❌ regression"]])
    }

    /// A gate that compared nothing must not pass: a revision without results, or a name with
    /// none, is bad input (exit 2), and nothing goes to stdout.
    @Test func nothingToCompareIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "a.json")
        try ws.commit("NOTES", "unrelated\n", message: "docs: notes")     // no results here
        let store = ["--results", ws.results, "--repo", ws.repo]
        let noResultsAtB = buddylab(["compare", "HEAD~1", "HEAD", TinyExperiment.name] + store)
        #expect(noResultsAtB.status == 2)
        #expect(noResultsAtB.stdout.isEmpty)
        #expect(noResultsAtB.stderr.contains("nothing to compare"))
        #expect(noResultsAtB.stderr.contains("experiment '\(TinyExperiment.name)'"))
        let unknownName = buddylab(["compare", "HEAD~1", "HEAD~1", "no-such-experiment"] + store)
        #expect(unknownName.status == 2)
        #expect(unknownName.stderr.contains("experiment 'no-such-experiment'"))
    }

    /// The A/B header table: label and short commit.
    private func header(_ output: String) throws -> [[String]] {
        let table = try #require(Markdown.tables(output).first)
        return table.rows.map { [$0[0], Markdown.unquote($0[1])] }
    }

    /// Rewrites, in place, the stored records of `variant` at `commit`: what a regression in the
    /// tree at that commit would have produced.
    private func rewriteRecords(in root: String, commit: String, variant: String,
                                _ change: (inout RunResult) -> Void) throws {
        let (records, _) = ResultStore(root: root).records(experiment: TinyExperiment.name)
        let targets = records.filter { $0.revision?.commit == commit && $0.run.variant == variant }
        try #require(targets.count == TinyExperiment.seeds.count)
        let store = ResultStore(root: root)
        for var record in targets {
            let path = store.directory(for: record) + "/" + ResultStore.fileName(seed: record.run.seed, sequence: 0)
            change(&record.run)
            try ResultJSON.encode(record).write(to: URL(fileURLWithPath: path))
        }
    }
}
