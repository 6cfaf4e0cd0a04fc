import BuddyReport
import BuddyResults
import Testing

/// Golden files for every renderer, on the hand-built fixture.
@Suite struct SnapshotTests {
    @Test func markdownReport() throws {
        try assertSnapshot(renderMarkdown(ReportFixture.input()), named: "report.md")
    }

    @Test func textReport() throws {
        try assertSnapshot(renderText(ReportFixture.input()), named: "report.txt")
    }

    /// `--proc-dumps` appends one section and changes nothing else; its golden holds only that
    /// section, so report.md stays the default report.
    @Test func procDumpsMarkdown() throws {
        var input = ReportFixture.input()
        let plain = renderMarkdown(input)
        input.includeProcDumps = true
        let dumps = renderMarkdown(input)
        #expect(dumps.hasPrefix(plain + "\n## /proc views (end of run)\n"))
        try assertSnapshot(String(dumps.dropFirst(plain.count)), named: "proc-dumps.md")
    }

    @Test func procDumpsText() throws {
        var input = ReportFixture.input()
        let plain = renderText(input)
        input.includeProcDumps = true
        let dumps = renderText(input)
        #expect(dumps.hasPrefix(plain + "\n/proc views (end of run)\n"))
        try assertSnapshot(String(dumps.dropFirst(plain.count)), named: "proc-dumps.txt")
    }

    @Test func runSummary() throws {
        try assertSnapshot(renderSummary(ReportFixture.input()), named: "summary.txt")
    }

    @Test func historyMarkdown() throws {
        try assertSnapshot(renderMarkdown(ReportFixture.history), named: "history.md")
    }

    @Test func historyText() throws {
        try assertSnapshot(renderText(ReportFixture.history), named: "history.txt")
    }

    @Test func compareMarkdown() throws {
        try assertSnapshot(renderMarkdown(ReportFixture.compare), named: "compare.md")
    }

    @Test func compareText() throws {
        try assertSnapshot(renderText(ReportFixture.compare), named: "compare.txt")
    }

    /// Output must not depend on the order runs arrive in (store listing vs runner order).
    @Test func runOrderDoesNotMatter() {
        let doc = ReportFixture.document()
        let reversed = ReportFixture.document(runs: doc.runs.reversed())
        #expect(renderMarkdown(ReportFixture.input(document: reversed))
                == renderMarkdown(ReportFixture.input(document: doc)))
    }
}
