@testable import BuddyReport
import BuddyResults
import Foundation
import Testing

/// Sweep reports: the point × variant tables, the SVG charts (one line per variant and panel,
/// a legend naming every line) and the pageblock heatmap.
@Suite struct SweepReportTests {
    static let variants = ["linux-5.18", "linux-5.19"]

    /// fill ∈ {20%, 40%} × size ∈ {2MiB, 4MiB}; contig_successes = 10 − 3 × fill index + seed,
    /// and linux-5.19 gains 20 at fill=40% size=2MiB (Welch over seeds [28, 29] vs [8, 9]:
    /// t = 28.3, df = 2, p < 0.001: significant) and nothing elsewhere; events = 100 × fill index
    /// + seed (identical across variants).
    static func input(dropping: (point: Int, variant: String)? = nil) -> SweepReportInput {
        var runs: [RunResult] = []
        var points: [RunPoint] = []
        for (f, fill) in ["20%", "40%"].enumerated() {
            for (s, size) in ["2MiB", "4MiB"].enumerated() {
                let point = RunPoint(index: f * 2 + s, parameters: ["fill", "size"], values: ["fill": fill, "size": size])
                points.append(point)
                for v in variants where !(dropping?.point == point.index && dropping?.variant == v) {
                    for seed: UInt64 in [1, 2] {
                        let bonus = v == "linux-5.19" && point.index == 2 ? 20 : 0
                        runs.append(RunResult(
                            variant: v, seed: seed, workloadSHA256: "w\(point.index)-\(seed)",
                            metrics: ["contig_successes": 10 - f * 3 + Int(seed) + bonus, "events": 100 * f + Int(seed)],
                            ops: [], faults: [],
                            extras: RunExtras(pageblockMap: ["Normal": "UMMI."], pageblockFree: ["Normal": "0f8f0"]),
                            point: point))
                    }
                }
            }
        }
        let doc = ResultDocument(revision: nil, revisionNote: "test", tool: ToolInfo(version: "0.1.0", swift: "6.3.1"),
                                 experiment: ExperimentRef(name: "sw", file: "sw.yaml", sha256: "00"),
                                 baseline: "linux-5.18", runs: runs)
        return SweepReportInput(document: doc, description: "", machineLines: [], points: points, seeds: [1, 2],
                                expectations: [], generatedAt: "t", command: "c", variantOrder: variants,
                                chartPrefix: "sw")
    }

    /// The table rows of `metric`'s section.
    static func rows(_ markdown: String, metric: String) -> [Substring] {
        guard let start = markdown.range(of: "### " + metric) else { return [] }
        let section = markdown[start.upperBound...].components(separatedBy: "\n### ")[0]
        return section.split(separator: "\n").filter { $0.hasPrefix("| fill=") }.map { Substring($0) }
    }

    @Test func tablesPerMetricThatDiffers() throws {
        let out = renderSweepMarkdown(Self.input())
        // Only contig_successes differs between variants; events is listed as varying with the sweep.
        #expect(out.files.map(\.name) == ["sw.contig_successes.svg", "sw.pageblocks.svg"])
        #expect(out.markdown.contains("![contig_successes against fill, one line per variant](sw.contig_successes.svg)"))
        #expect(out.markdown.contains("1.50 … 101.50 (varies with the sweep) |"))
        let rows = Self.rows(out.markdown, metric: "contig_successes")
        #expect(rows.count == 4)
        // The workload table: one row per (point, seed), shared by both variants.
        #expect(out.markdown.contains("| fill=40% size=4MiB |    2 | `w3-2`          | ✅ yes (2 variants)     |"))
        // fill=40% size=2MiB: base mean 8.5, 5.19 mean 28.5: +235.29%, significant.
        #expect(rows[2].contains("fill=40% size=2MiB") && rows[2].contains("28.50 *(+235.29%)*"))
        #expect(rows[3].contains("fill=40% size=4MiB") && rows[3].contains("8.50 (   0.00%)"))
        #expect(rows[0].contains("11.50 (   0.00%)"))
        #expect(out.markdown.contains("runs present 16 of 16"))
    }

    @Test func chartHasOneLinePerVariantPerPanelAndALegend() throws {
        let out = renderSweepMarkdown(Self.input())
        let svg = try #require(out.files.first { $0.name == "sw.contig_successes.svg" }?.contents)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)   // 2 panels × 2 variants
        #expect(svg.contains(">size=2MiB</text>") && svg.contains(">size=4MiB</text>"))
        #expect(svg.contains(">linux-5.18 (baseline)</text>"))
        // 5.19 equals 5.18 only in the size=4MiB panel, so it is not marked as the same line.
        #expect(svg.contains(">linux-5.19</text>"))
        // Markers carry the exact value and its 95% CI: 5.19 at fill=40% in the 2MiB panel,
        // seeds [28, 29]: s = 0.7071, t(0.975, 1) = 12.706, half width 12.706·0.7071/√2 = 6.35.
        #expect(svg.contains("<title>linux-5.19, fill=40%: 28.50 ± 6.35</title>"))
        // The unit labels the y axis and the title says what the bars are.
        #expect(svg.contains("contig_successes (calls) against fill (mean over 2 seeds, bars: 95% CI)</text>"))
        #expect(svg.contains(">calls</text>"))
        // One error bar (a vertical line and two caps) per marker: 8 markers.
        let bars = svg.split(separator: "\n").filter { $0.hasPrefix("<line") && $0.contains("stroke-width=\"1.0\"")
            && ($0.contains("#0072B2") || $0.contains("#D55E00")) }
        #expect(bars.count == 8 * 3)
    }

    /// Counts whose 95% CI reaches below 0 (seeds [0, 3]: mean 1.5, half width 19.06) keep an
    /// axis from 0 and a bar cut at 0.
    @Test func countIntervalsStopAtZero() {
        let panel = SweepChartSVG.Panel(title: "p", series: [.init(variant: "a", values: [1.5, 2], ci: [19.06, nil])])
        let svg = SweepChartSVG.render(metric: "m", xName: "x", xValues: ["1", "2"], panels: [panel],
                                       variants: ["a"], baseline: "a", unit: "calls", seeds: 2)
        #expect(svg.contains(">0</text>") && !svg.contains(">-"))   // no negative tick label
    }

    /// The y axis is zoomed to the data with round ticks, not stretched down to 0.
    @Test func yAxisZoomsToTheData() {
        let (lo, hi, ticks) = SweepChartSVG.axis(min: 95, max: 105)
        #expect(lo == 90 && hi == 110 && ticks == [90, 95, 100, 105, 110])
        // Counts near 0 never get a negative axis; a flat line gets ±1.
        #expect(SweepChartSVG.axis(min: 0.5, max: 10).0 == 0)
        let flat = SweepChartSVG.axis(min: 7, max: 7)
        #expect(flat.0 <= 6 && flat.1 >= 8 && flat.1 - flat.0 <= 4)
    }

    /// A third variant with exactly linux-5.19's values: the legend says its line hides the other.
    @Test func identicalLinesAreNamedInTheLegend() throws {
        var input = Self.input()
        input.document.runs += input.document.runs.filter { $0.variant == "linux-5.19" }.map { r in
            var r = r; r.variant = "zi-yan-v11"; return r
        }
        input.variantOrder = ["linux-5.18", "zi-yan-v11", "linux-5.19"]
        let svg = try #require(renderSweepMarkdown(input).files.first { $0.name == "sw.contig_successes.svg" }?.contents)
        #expect(svg.contains(">linux-5.19 = zi-yan-v11</text>"))
        #expect(svg.contains(">zi-yan-v11</text>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 6)
    }

    /// A failed shard: its runs are missing cells and listed, columns do not shift.
    @Test func missingRunsAreShownNotShifted() {
        let out = renderSweepMarkdown(Self.input(dropping: (point: 1, variant: "linux-5.18")))
        #expect(out.markdown.contains("runs present 14 of 16"))
        #expect(out.markdown.contains("fill=20% size=4MiB: linux-5.18 seed 1; fill=20% size=4MiB: linux-5.18 seed 2"))
        let row = Self.rows(out.markdown, metric: "contig_successes").first { $0.hasPrefix("| fill=20% size=4MiB") }
        let cells = row?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells == ["fill=20% size=4MiB", "–", "11.50"])   // no baseline there: no delta
    }

    @Test func pageblockHeatmapCells() throws {
        let svg = try #require(renderSweepMarkdown(Self.input()).files.first { $0.name == "sw.pageblocks.svg" }?.contents)
        // Two variants × 5 blocks; block 1 is movable and fully free (f = 15/16 → 1.00 intensity).
        #expect(svg.contains("<title>block 1: movable, free 100%</title>"))
        #expect(svg.contains("<title>block 0: unmovable, free 0%</title>"))
        #expect(svg.contains("<title>block 3: isolate, free 100%</title>"))
        #expect(svg.contains("<title>block 4: offline, free 0%</title>"))
        #expect(svg.components(separatedBy: "fill=\"url(#hatch)\"").count - 1 == 1 + 2)  // legend + one per variant
        #expect(svg.contains(">linux-5.18</text>") && svg.contains(">linux-5.19</text>"))
    }
}
