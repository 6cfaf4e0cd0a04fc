import BuddyReport
import BuddyResults
import Testing

/// Layout decisions that the golden files only show for one input.
@Suite struct ReportLayoutTests {
    /// Without `variantOrder` the baseline leads and the rest follow by id.
    @Test func defaultVariantOrder() throws {
        var input = ReportFixture.input()
        input.variantOrder = []
        let md = renderMarkdown(input)
        let header = try #require(md.split(separator: "\n").first { $0.hasPrefix("| metric ") })
        let base = try #require(header.range(of: "linux-5.18 (baseline)"))
        let next = try #require(header.range(of: "linux-5.19"))
        let zi = try #require(header.range(of: "zi-yan-v11"))
        #expect(base.lowerBound < next.lowerBound && next.lowerBound < zi.lowerBound)
    }

    /// A folded YAML description ends in a newline; the quote must not end in an empty `> `.
    @Test func descriptionQuoteHasNoTrailingEmptyLine() {
        var input = ReportFixture.input()
        input.description = "Two lines\nof text.\n\n"
        let md = renderMarkdown(input)
        #expect(md.contains("\n\n> Two lines\n> of text.\n\n| field "))
        #expect(!md.contains("> \n"))
    }

    @Test func workloadMismatchIsReported() {
        var runs = ReportFixture.document().runs
        if let i = runs.firstIndex(where: { $0.variant == "linux-5.19" && $0.seed == 2 }) {
            runs[i].workloadSHA256 = "ffff" + String(repeating: "0", count: 60)
        }
        let md = renderMarkdown(ReportFixture.input(document: ReportFixture.document(runs: runs)))
        #expect(md.contains("❌ NO: linux-5.19 `ffff00000000`"))
        #expect(md.contains("❌ variants ran different workloads"))
    }

    @Test func missingRevisionSaysWhy() {
        var doc = ReportFixture.document()
        doc.revision = nil
        doc.revisionNote = "not a git repository"
        let md = renderMarkdown(ReportFixture.input(document: doc))
        #expect(md.contains("no revision: not a git repository"))
        #expect(!md.contains("| tree "))
    }

    /// Long pageblock maps fold into `<details>`; the fixture's short ones do not.
    @Test func longPageblockMapsFold() {
        var runs = ReportFixture.document().runs
        for i in runs.indices where runs[i].seed == 1 && runs[i].variant == "linux-5.19" {
            runs[i].extras?.pageblockMap = ["Normal": String(repeating: "M", count: 1024)]
        }
        let md = renderMarkdown(ReportFixture.input(document: ReportFixture.document(runs: runs)))
        #expect(md.contains("<details><summary>1024 pageblocks in 16 lines</summary>"))
        #expect(md.contains("\n 960  MMMM"))
        #expect(!renderMarkdown(ReportFixture.input()).contains("pageblocks in"))
    }

    /// One seed: no spread section and no significance markers (nothing to test).
    @Test func singleSeed() {
        let runs = ReportFixture.document().runs.filter { $0.seed == 1 }
        var input = ReportFixture.input(document: ReportFixture.document(runs: runs))
        input.seeds = [1]
        let md = renderMarkdown(input)
        #expect(!md.contains("Spread over"))
        #expect(md.contains(" 30 (+200.00%) |"))
        #expect(md.contains("-512 (   -512)"))
    }

    @Test func noRegressionVerdict() {
        var compare = ReportFixture.compare
        compare.rows = compare.rows.filter { !$0.regression }
        #expect(renderMarkdown(compare).contains("**Verdict:** ✅ no regressions beyond ±5.00% (4 results compared)"))
    }
}
