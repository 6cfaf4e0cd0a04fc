import BuddyResults

/// The `series:` of a run as SVG line charts over time, one file per metric: x is the event
/// index, y the metric, one line per variant (the mean over seeds at each point, over the
/// points every seed has), with a legend naming each line by colour and dash. The chart of
/// `nr_free_pages` also draws the zones' summed MIN, LOW and HIGH watermarks as grey lines.
public enum TimeSeriesChartSVG {
    /// Columns kept in the JSON but not drawn: the x axis, the watermarks (drawn on the
    /// NR_FREE_PAGES chart) and the per-order, per-migratetype free counts (66 columns on x86_64;
    /// `/proc/pagetypeinfo` over time, for tools rather than eyes).
    static func drawn(_ name: String) -> Bool {
        name != "t" && !name.hasPrefix("wmark_") && !name.hasPrefix("free_blocks_")
    }

    /// The metrics to chart, by name; a metric that is 0 at every point of every run (no CMA,
    /// no isolation, …) is left out: a flat line at zero says nothing a sentence would not.
    public static func metrics(_ input: ReportInput) -> [String] {
        var names = Set<String>()
        var nonZero = Set<String>()
        for run in input.document.runs {
            guard let s = run.series else { continue }
            for (k, v) in s {
                names.insert(k)
                if v.contains(where: { $0 != 0 }) { nonZero.insert(k) }
            }
        }
        return names.filter { drawn($0) && nonZero.contains($0) }.sorted()
    }

    /// One chart per metric: (metric, SVG text). Empty when no run has a series.
    public static func renderAll(_ input: ReportInput) -> [(metric: String, svg: String)] {
        let model = ReportModel(input)
        var out: [(metric: String, svg: String)] = []
        for metric in metrics(input) {
            if let svg = render(metric: metric, model: model) { out.append((metric, svg)) }
            // The fill from an empty machine dwarfs the watermarks: a second chart from the
            // first point at or below HIGH, zoomed to the watermarks.
            if metric == "nr_free_pages", let svg = render(metric: metric, model: model, nearWatermarks: true) {
                out.append((zoomedName, svg))
            }
        }
        return out
    }

    /// The file / link name of the zoomed NR_FREE_PAGES chart.
    public static let zoomedName = "nr_free_pages_near_watermarks"

    /// The mean line of `metric` per variant; `-1` in `*_permille` columns means "no attempt in
    /// that window" and is left out of the mean.
    static func lines(_ metric: String, _ model: ReportModel) -> [(variant: String, t: [Int], y: [Double?], seeds: Int)] {
        model.variants.compactMap { variant in
            let runs = model.runs(of: variant).compactMap { $0.series }
            let usable = runs.filter { $0[metric] != nil && $0["t"] != nil }
            guard let first = usable.first, let t = first["t"] else { return nil }
            let n = usable.map { min($0["t"]?.count ?? 0, $0[metric]?.count ?? 0) }.min() ?? 0
            let skip = metric.hasSuffix("_permille")
            let y: [Double?] = (0..<n).map { i in
                let vals = usable.compactMap { s -> Double? in
                    let v = s[metric]?[i] ?? 0
                    return skip && v < 0 ? nil : Double(v)
                }
                return vals.isEmpty ? nil : vals.reduce(0, +) / Double(vals.count)
            }
            return (variant, Array(t.prefix(n)), y, usable.count)
        }
    }

    static let width = 760.0, height = 320.0
    static let left = 76.0, top = 44.0, plotW = 440.0, plotH = 220.0

    static func render(metric: String, model: ReportModel, nearWatermarks: Bool = false) -> String? {
        var ls = lines(metric, model)
        var marks: [(String, Double)] = []
        if metric == "nr_free_pages", let s = model.runs(of: model.variants[0]).compactMap(\.series).first {
            for (name, key) in [("MIN", "wmark_min"), ("LOW", "wmark_low"), ("HIGH", "wmark_high")] {
                if let v = s[key]?.first { marks.append((name, Double(v))) }
            }
        }
        var tMin = 0
        if nearWatermarks {
            guard let high = marks.last?.1 else { return nil }
            // From the first point where any line is at or below HIGH.
            let firsts = ls.compactMap { l in l.y.firstIndex { ($0 ?? .infinity) <= high }.map { l.t[$0] } }
            guard let start = firsts.min() else { return nil }
            tMin = start
            ls = ls.map { l in
                let keep = l.t.indices.filter { l.t[$0] >= start }
                return (l.variant, keep.map { l.t[$0] }, keep.map { l.y[$0] }, l.seeds)
            }
        }
        guard !ls.isEmpty, let tMax = ls.flatMap(\.t).max(), tMax > tMin else { return nil }
        let values = ls.flatMap { $0.y.compactMap { $0 } } + marks.map(\.1)
        guard !values.isEmpty else { return nil }
        let (lo, hi, ticks) = SweepChartSVG.axis(min: values.min() ?? 0, max: values.max() ?? 1)
        let unit = MetricUnits.unit(metric)
        var svg = SVGWriter(width: width, height: height)
        let seeds = ls.map(\.seeds).max() ?? 1
        svg.text(10, 20, "\(metric) (\(unit)) " + (nearWatermarks ? "from the first point at or below HIGH" : "over the run")
                 + " (" + (seeds > 1 ? "mean over \(seeds) seeds" : "one seed") + ")", size: 14, bold: true)
        func x(_ t: Int) -> Double { left + Double(t - tMin) / Double(tMax - tMin) * plotW }
        func y(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }
        for t in ticks {
            svg.line(left, y(t), left + plotW, y(t), stroke: "#e0e0e0")
            svg.text(left - 6, y(t) + 4, NumberFormat.value(t), anchor: .end, size: 10)
        }
        svg.text(left - 6, top - 8, unit, anchor: .end, size: 10)
        svg.line(left, top, left, top + plotH, stroke: "#333333")
        svg.line(left, top + plotH, left + plotW, top + plotH, stroke: "#333333")
        let (_, xHi, xTicks) = SweepChartSVG.axis(min: Double(tMin), max: Double(tMax))
        for t in xTicks where t <= xHi && t <= Double(tMax) && t >= Double(tMin) {
            let px = x(Int(t))
            svg.line(px, top + plotH, px, top + plotH + 4, stroke: "#333333")
            svg.text(px, top + plotH + 16, NumberFormat.value(t), anchor: .middle, size: 10)
        }
        svg.text(left + plotW / 2, top + plotH + 36, "events executed", anchor: .middle, size: 11)
        var labelY = Double.infinity
        for (name, v) in marks {
            svg.line(left, y(v), left + plotW, y(v), stroke: "#888888", dash: "4 3")
            // Close marks: each label at least 10 px above the previous one.
            labelY = min(y(v) + 4, labelY - 10)
            svg.text(left + plotW + 4, labelY, name, size: 10, fill: "#666666")
        }
        for (k, l) in ls.enumerated() {
            let colour = SweepChartSVG.palette[k % SweepChartSVG.palette.count]
            var run: [(Double, Double)] = []
            for (i, v) in l.y.enumerated() {
                guard let v else {
                    if run.count > 1 { svg.polyline(run, stroke: colour, width: 1.5, dash: SweepChartSVG.dashes[k % SweepChartSVG.dashes.count]) }
                    run = []
                    continue
                }
                run.append((x(l.t[i]), y(v)))
            }
            if run.count > 1 { svg.polyline(run, stroke: colour, width: 1.5, dash: SweepChartSVG.dashes[k % SweepChartSVG.dashes.count]) }
            if run.count == 1 { svg.marker(k, run[0].0, run[0].1, fill: colour) }
        }
        let lx = left + plotW + 40
        svg.text(lx, 48, "legend", bold: true)
        for (k, l) in ls.enumerated() {
            let ly = 70 + 22 * Double(k)
            let colour = SweepChartSVG.palette[k % SweepChartSVG.palette.count]
            svg.line(lx, ly - 4, lx + 36, ly - 4, stroke: colour, width: 2, dash: SweepChartSVG.dashes[k % SweepChartSVG.dashes.count])
            svg.text(lx + 44, ly, l.variant + (l.variant == model.baseline ? " (baseline)" : ""))
        }
        if !marks.isEmpty {
            let ly = 70 + 22 * Double(ls.count)
            svg.line(lx, ly - 4, lx + 36, ly - 4, stroke: "#888888", dash: "4 3")
            svg.text(lx + 44, ly, "watermarks (Σ zones)")
        }
        return svg.document
    }
}
