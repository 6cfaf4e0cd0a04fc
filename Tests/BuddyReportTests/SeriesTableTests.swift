import BuddyReport
import Testing

/// Per-iteration series (`RunExtras.series`) are printed as tables, not mermaid charts: one
/// column per distinct line (variants sharing a line share a column, listed in a key), every
/// value printed, the unit in the heading.
@Suite struct SeriesTableTests {
    @Test func noMermaidAndEveryValuePrinted() throws {
        let report = renderMarkdown(ReportFixture.input())
        #expect(!report.contains("```mermaid"))
        // nr_free_pages_drift_per_cycle: linux-5.18 and linux-5.19 stay at 0, zi-yan-v11 loses
        // 128 pages per cycle (ReportFixture), so two columns: A = 5.18 + 5.19, B = v11.
        let section = try #require(report.components(separatedBy: "### nr_free_pages_drift_per_cycle (pages, seed 1)\n\n").last)
        let expected = """
            | sample |   A |    B |
            | -----: | --: | ---: |
            |      1 |   0 |    0 |
            |      2 |   0 | -128 |
            |      3 |   0 | -256 |
            |      4 |   0 | -384 |
            |      5 |   0 | -512 |

            - **A**: linux-5.18 (baseline), linux-5.19
            - **B**: zi-yan-v11
            """
        #expect(section.hasPrefix(expected))
    }

    /// Forty samples are folded; an empty series gets no section.
    @Test func longSeriesFoldedEmptySkipped() {
        let report = renderMarkdown(ReportFixture.input())
        #expect(report.contains("### largest_free_order_by_event (order, seed 1)\n\n<details><summary>40 samples</summary>"))
        #expect(!report.contains("### empty_series"))
    }
}
