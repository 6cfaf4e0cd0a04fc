import BuddyReport
import BuddyResults
import Testing

/// Issue 23: the `series:` charts: one SVG per metric that is not 0 throughout, variants
/// overlaid with a legend and the unit, the zoomed NR_FREE_PAGES chart with its watermarks.
@Suite struct TimeSeriesChartTests {
    static func input() -> ReportInput {
        func run(_ v: String, _ free: [Int]) -> RunResult {
            RunResult(variant: v, seed: 1, workloadSHA256: String(repeating: "a", count: 64), metrics: ["events": 30],
                      ops: [], faults: [],
                      series: ["t": [0, 10, 20, 30], "nr_free_pages": free, "wmark_min": [5, 5, 5, 5],
                               "wmark_low": [6, 6, 6, 6], "wmark_high": [7, 7, 7, 7], "pageblocks_cma": [0, 0, 0, 0],
                               "highorder_success_permille": [-1, 500, -1, 1000]])
        }
        let doc = ResultDocument(revision: nil, revisionNote: "test", tool: ToolInfo(version: "t", swift: "6.3.1"),
                                 experiment: ExperimentRef(name: "x", file: "x.yaml", sha256: "c"), baseline: "linux-5.19",
                                 runs: [run("linux-5.19", [100, 40, 6, 7]), run("linux-6.12", [100, 50, 7, 8])])
        return ReportInput(document: doc, description: "", machineLines: [], seeds: [1], expectations: [], opLabels: [:],
                           generatedAt: "now", command: "buddylab run x.yaml")
    }

    @Test func oneChartPerNonZeroMetricPlusTheZoom() throws {
        let charts = TimeSeriesChartSVG.renderAll(Self.input())
        #expect(charts.map(\.metric) == ["highorder_success_permille", "nr_free_pages", TimeSeriesChartSVG.zoomedName])
        let free = try #require(charts.first { $0.metric == "nr_free_pages" }?.svg)
        #expect(free.contains(">linux-5.19 (baseline)</text>") && free.contains(">linux-6.12</text>"))
        #expect(free.contains(">HIGH</text>") && free.contains(">MIN</text>") && free.contains("(pages)"))
        let zoom = try #require(charts.last?.svg)
        #expect(zoom.contains("from the first point at or below HIGH"))
        // The permille column's -1 (no attempt in the window) is a gap, not a value: no line
        // joins the two points that remain, each is a marker.
        let rate = try #require(charts.first?.svg)
        #expect(!rate.contains("<polyline"))
        #expect(rate.contains("(‰)"))
    }

    @Test func theReportLinksTheChartsAndListsLastValues() {
        var input = Self.input()
        input.timeSeriesFiles = ["nr_free_pages": "x.series.nr_free_pages.svg"]
        let md = renderMarkdown(input)
        #expect(md.contains("## Over time"))
        #expect(md.contains("![nr_free_pages over the run](x.series.nr_free_pages.svg)"))
        // The last point of each variant: 7 (5.19) and 8 (6.12) pages.
        let row = md.split(separator: "\n").first { $0.hasPrefix("| nr_free_pages ") }
        let cells = row?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells == ["nr_free_pages", "pages", "7.0", "8.0"])
    }
}
