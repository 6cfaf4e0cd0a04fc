import Testing

/// Issue 5: `buddylab history NAME` over three commits of a throw-away repository, with results
/// at the first and the third.
@Suite struct HistoryCommandTests {
    @Test func newestFirstGapsMarkedFirstMoveFlagged() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let c1 = try ws.commit("tiny.yaml", TinyExperiment.yaml(contigCount: 4), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "c1.json")
        let c2 = try ws.commit("NOTES", "no run at this commit\n", message: "docs: notes")
        let c3 = try ws.commit("tiny.yaml", TinyExperiment.yaml(contigCount: 8), message: "twice the contig attempts")
        try ws.run("tiny.yaml", json: "c3.json")
        let old = try ws.document("c1.json"), new = try ws.document("c3.json")

        let history = buddylab(["history", TinyExperiment.name, "--results", ws.results, "--repo", ws.repo])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stderr == "")

        // (variant, metric) pairs that moved by more than the default 5% from c1 to c3.
        var moved: Set<String> = []
        for variant in TinyExperiment.variants {
            for metric in old.metricNames where abs(Expected.percentChange(
                from: old.mean(metric, variant), to: new.mean(metric, variant))) > 5 {
                moved.insert("\(variant)/\(metric)")
            }
        }
        // The change doubles the attempts, so the test is about something.
        try #require(TinyExperiment.variants.allSatisfy { moved.contains("\($0)/contig_attempts") })

        let metrics = Markdown.headings(history.stdout, level: 2)
        #expect(metrics.count == old.metricNames.count)
        let columns = TinyExperiment.variants.sorted()
        var flagged: Set<String> = []
        for heading in metrics {
            let metric = try #require(heading.split(separator: "`").first.map(String.init))
            let section = try #require(Markdown.section(history.stdout, "## " + heading))
            let table = try #require(Markdown.tables(section).first)
            #expect(table.header == ["commit"] + columns)
            try #require(table.rows.count == 3)
            // Newest first, each commit as its short id (a prefix of the full id) and summary.
            for (row, (id, summary)) in zip(table.rows, [(c3, "twice the contig attempts"), (c2, "docs: notes"),
                                                          (c1, "add the e2e experiment")]) {
                let short = try #require(row[0].split(separator: "`").first.map(String.init))
                #expect(short.count >= 7 && id.hasPrefix(short), "\(row[0])")
                #expect(row[0] == "`\(short)` \(summary)")
            }
            // The commit without results shows – everywhere.
            #expect(table.rows[1].dropFirst().allSatisfy { $0 == "–" })
            for (i, variant) in columns.enumerated() {
                #expect(table.rows[2][1 + i] == Expected.value(old.mean(metric, variant)), "\(metric) \(variant) c1")
                let value = Expected.value(new.mean(metric, variant))
                let cell = table.rows[0][1 + i]
                if cell == "**⚠ \(value)**" { flagged.insert("\(variant)/\(metric)") } else {
                    #expect(cell == value, "\(metric) \(variant) c3")
                }
            }
        }
        // ⚠ sits exactly on the first commit where each moved metric moved; c1 has nothing to
        // compare with, so it is never flagged.
        #expect(flagged == moved)
    }
}
