import Testing

/// Issue 5 (c) and issue 6's `/proc` flag: `buddylab report NAME` re-renders from the store.
@Suite struct ReportCommandTests {
    @Test func reRendersAnyStoredCommit() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let c1 = try ws.commit("tiny.yaml", TinyExperiment.yaml(contigCount: 4), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "c1.json")
        try ws.commit("NOTES", "no run at this commit\n", message: "docs: notes")
        let c3 = try ws.commit("tiny.yaml", TinyExperiment.yaml(contigCount: 8), message: "twice the contig attempts")
        try ws.run("tiny.yaml", json: "c3.json")
        let store = ["--results", ws.results, "--repo", ws.repo]

        // --commit with a revspec: the older commit's records, rendered as at run time.
        let old = buddylab(["report", TinyExperiment.name, "--commit", "HEAD~2", "--out", ws.path("old.md")] + store)
        #expect(old.status == 0, "\(old.stderr)")
        #expect(old.stdout == "")
        let oldReport = try ws.read("old.md")
        #expect(try ReportChecks.provenance(oldReport)["commit"] == c1)
        try ReportChecks.metricTables(oldReport, try ws.document("c1.json"))
        try ReportChecks.opsTable(oldReport, try ws.document("c1.json"))
        #expect(!oldReport.contains("## /proc views"))
        // tiny.yaml changed since c1: its machine and expectations would not describe c1's runs.
        #expect(!oldReport.contains("## Machine"))
        #expect(old.stderr.contains("tiny.yaml changed since these results were stored"))

        // No --commit: HEAD's results. (c1 and c3 are usually stored within the same second, so
        // the store's one-second timestamps alone cannot tell which is newer.) --proc-dumps adds
        // the dumps the records kept.
        let head = buddylab(["report", TinyExperiment.name, "--proc-dumps"] + store)
        #expect(head.status == 0, "\(head.stderr)")
        #expect(try ReportChecks.provenance(head.stdout)["commit"] == c3)
        try ReportChecks.metricTables(head.stdout, try ws.document("c3.json"))
        try ProcDumpChecks.section(head.stdout, try ws.document("c3.json"))

        // With the experiment file unchanged, the re-rendered report is the one `run` wrote,
        // from the summary on (the header differs only in its date and reproduce line).
        let again = buddylab(["report", TinyExperiment.name] + store)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        let written = try ws.read("c3.json.md")
        #expect(again.stdout.contains("## Machine"))
        // The written report also links the SVG pageblock heatmap `run` wrote beside it; stdout
        // has no file beside it to link.
        #expect(written.contains("![pageblock heatmap per variant](c3.json.pageblocks.svg)"))
        #expect(try ws.read("c3.json.pageblocks.svg").hasPrefix("<svg "))
        #expect(fromSummary(again.stdout) == withoutHeatmap(fromSummary(written)))
        #expect(!fromSummary(written).isEmpty)
        // Without a name the store's only experiment is meant; a YAML path means its `name:`
        // (e2e-tiny, not the file name tiny).
        let bare = buddylab(["report"] + store)
        #expect(bare.status == 0 && bare.stdout == again.stdout, "\(bare.stderr)")
        let byFile = buddylab(["report", ws.repo + "/tiny.yaml"] + store)
        #expect(byFile.status == 0 && byFile.stdout == again.stdout, "\(byFile.stderr)")

        // A commit without results is bad input that names the flag; nothing is written.
        let gap = buddylab(["report", TinyExperiment.name, "--commit", "HEAD~1", "--out", ws.path("gap.md")] + store)
        #expect(gap.status == 2)
        #expect(gap.stderr.hasPrefix("buddylab: error: --commit 'HEAD~1': no stored results"))
        #expect(gap.stdout == "")
        #expect((try? ws.read("gap.md")) == nil)
    }

    /// Text output carries the dumps too when asked, verbatim, and never otherwise.
    @Test func textFormatHonoursProcDumps() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "run.json")
        let result = try ws.document("run.json")
        let store = ["--results", ws.results, "--repo", ws.repo, "--format", "text"]

        let plain = buddylab(["report", TinyExperiment.name] + store)
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("/proc/"))

        let dumps = buddylab(["report", TinyExperiment.name, "--proc-dumps"] + store)
        #expect(dumps.status == 0)
        var expected = "/proc views (end of run)\n========================\n"
        for variant in TinyExperiment.variants {
            let extras = try #require(result.run(variant, seed: 1)?.extras)
            expected += "\(variant): /proc/buddyinfo (seed 1)\n" + (extras.buddyinfo ?? "") + "\n"
            expected += "\(variant): /proc/pagetypeinfo (seed 1)\n" + (extras.pagetypeinfo ?? "") + "\n"
        }
        #expect(dumps.stdout.hasSuffix("\n" + expected))
    }

    private func withoutHeatmap(_ s: Substring) -> Substring {
        guard let a = s.range(of: "![pageblock heatmap per variant]("),
              let b = s.range(of: "free share.\n\n", range: a.upperBound..<s.endIndex) else { return s }
        return Substring(String(s[..<a.lowerBound]) + String(s[b.upperBound...]))
    }

    private func fromSummary(_ report: String) -> Substring {
        guard let start = report.range(of: "**Summary:**") else { return "" }
        return report[start.lowerBound...]
    }
}
