/// A metric against a swept parameter as an SVG line chart: one line per variant, with a legend
/// beside the plot that names each line by its colour, dash pattern and marker shape.
///
/// mermaid's `xychart-beta` draws no legend, so sweep reports use these files instead (written
/// beside the report and shown with `![](…)`). The x axis is the first swept parameter, its values
/// evenly spaced in the order the file lists them (they may be sizes, percentages or names). With
/// more parameters, there is one panel per combination of the others, side by side with the same
/// y scale. Each point is the mean over seeds with its 95% confidence interval as an error bar
/// (Student's t over the seeds; none with one seed or when every seed agrees; cut at 0 for counts,
/// which cannot be negative); hovering a marker
/// shows the exact value. The y axis is labelled with the metric's unit and zoomed to the data
/// (the means and their intervals, plus a margin), so small differences between designs are
/// visible; its tick labels say where it starts.
enum SweepChartSVG {
    /// One line of a panel: a variant's mean at each x value (nil: no runs at that point).
    struct Series: Sendable, Equatable {
        var variant: String
        var values: [Double?]
        /// Half width of the 95% CI of each value; nil (or a shorter array): no bar.
        var ci: [Double?] = []
        func interval(_ i: Int) -> Double? { i < ci.count ? ci[i] : nil }
    }

    /// One panel: the fixed values of the other parameters, and its lines.
    struct Panel: Sendable, Equatable {
        var title: String
        var series: [Series]
    }

    /// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    static let dashes = ["", "7 4", "2 3", "9 3 2 3"]

    static let panelWidth = 330.0, panelHeight = 230.0
    static let marginLeft = 62.0, marginTop = 48.0, marginBottom = 52.0, gap = 24.0
    static let legendWidth = 230.0
    static let panelsPerRow = 3

    /// - Parameters:
    ///   - metric: the metric name (title and y label).
    ///   - xName: the swept parameter on the x axis; `xValues` its values as written.
    ///   - baseline: marked "(baseline)" in the legend.
    static func render(metric: String, xName: String, xValues: [String], panels: [Panel],
                       variants: [String], baseline: String, unit: String = "", seeds: Int = 1) -> String {
        let columns = max(1, min(panelsPerRow, panels.count))
        let rows = (panels.count + columns - 1) / max(1, columns)
        let plotW = panelWidth - marginLeft - 14
        let plotH = panelHeight - marginTop - marginBottom
        // Room for the longest legend entry (about 7 px per character at 12 px sans-serif).
        let longest = variants.map { $0.count * 2 + " (baseline)".count }.max() ?? 0
        let width = Double(columns) * panelWidth + Double(columns - 1) * gap
            + max(legendWidth, 60 + 7 * Double(longest))
        let height = max(Double(rows) * panelHeight + 28, 40 + 22 * Double(variants.count + 2))
        var svg = SVGWriter(width: width, height: height)
        let over = seeds >= 2 ? "mean over \(seeds) seeds, bars: 95% CI" : "one seed"
        svg.text(10, 20, metric + (unit.isEmpty ? "" : " (" + unit + ")") + " against " + xName + " (" + over + ")",
                 size: 14, bold: true)

        // Counts (every mean ≥ 0) cannot go below 0: their intervals are cut there, so the axis
        // does not reach into impossible negative values.
        let floorAtZero = panels.allSatisfy { $0.series.allSatisfy { $0.values.allSatisfy { ($0 ?? 0) >= 0 } } }
        func low(_ v: Double, _ h: Double) -> Double { floorAtZero ? Swift.max(0, v - h) : v - h }
        var all: [Double] = []
        for panel in panels {
            for s in panel.series {
                for (i, v) in s.values.enumerated() {
                    guard let v else { continue }
                    let h = s.interval(i) ?? 0
                    all += [low(v, h), v + h]
                }
            }
        }
        let (lo, hi, ticks) = axis(min: all.min() ?? 0, max: all.max() ?? 1)
        for (p, panel) in panels.enumerated() {
            let ox = Double(p % columns) * (panelWidth + gap) + marginLeft
            let oy = Double(p / columns) * panelHeight + 28 + marginTop - 20
            svg.text(ox + plotW / 2, oy - 10, panel.title, anchor: .middle)
            // y grid and labels
            for t in ticks {
                let y = oy + plotH - (t - lo) / (hi - lo) * plotH
                svg.line(ox, y, ox + plotW, y, stroke: "#e0e0e0")
                svg.text(ox - 6, y + 4, NumberFormat.value(t), anchor: .end, size: 10)
            }
            if !unit.isEmpty { svg.text(ox - 6, oy - 8, unit, anchor: .end, size: 10) }
            svg.line(ox, oy, ox, oy + plotH, stroke: "#333333")
            svg.line(ox, oy + plotH, ox + plotW, oy + plotH, stroke: "#333333")
            let xs = xPositions(count: xValues.count, origin: ox, width: plotW)
            for (i, label) in xValues.enumerated() {
                svg.line(xs[i], oy + plotH, xs[i], oy + plotH + 4, stroke: "#333333")
                svg.text(xs[i], oy + plotH + 16, label, anchor: .middle, size: 10)
            }
            svg.text(ox + plotW / 2, oy + plotH + 34, xName, anchor: .middle, size: 11)
            for s in panel.series {
                guard let k = variants.firstIndex(of: s.variant) else { continue }
                let colour = palette[k % palette.count]
                var run: [(Double, Double)] = []
                var segments: [[(Double, Double)]] = []
                for (i, v) in s.values.enumerated() {
                    guard let v else { if !run.isEmpty { segments.append(run); run = [] }; continue }
                    run.append((xs[i], oy + plotH - (v - lo) / (hi - lo) * plotH))
                }
                if !run.isEmpty { segments.append(run) }
                for seg in segments {
                    svg.polyline(seg, stroke: colour, width: 2, dash: dashes[k % dashes.count])
                }
                for (i, v) in s.values.enumerated() {
                    guard let v else { continue }
                    func y(_ value: Double) -> Double { oy + plotH - (value - lo) / (hi - lo) * plotH }
                    let h = s.interval(i) ?? 0
                    if h > 0 {
                        // A small horizontal offset per variant keeps overlapping bars apart.
                        let x = xs[i] + (Double(k) - Double(variants.count - 1) / 2) * 2
                        svg.line(x, y(low(v, h)), x, y(v + h), stroke: colour, width: 1)
                        svg.line(x - 3, y(low(v, h)), x + 3, y(low(v, h)), stroke: colour, width: 1)
                        svg.line(x - 3, y(v + h), x + 3, y(v + h), stroke: colour, width: 1)
                    }
                    svg.marker(k, xs[i], y(v), fill: colour,
                               title: s.variant + ", " + xName + "=" + xValues[i] + ": " + NumberFormat.fixed(v, 2)
                                   + (h > 0 ? " ± " + NumberFormat.fixed(h, 2) : ""))
                }
            }
        }
        // Legend, beside the panels: swatch (colour + dash + marker) and the variant id.
        let lx = Double(columns) * panelWidth + Double(columns - 1) * gap + 10
        svg.text(lx, 48, "legend", bold: true)
        for (k, variant) in variants.enumerated() {
            let y = 70 + 22 * Double(k)
            let colour = palette[k % palette.count]
            svg.line(lx, y - 4, lx + 36, y - 4, stroke: colour, width: 2, dash: dashes[k % dashes.count])
            svg.marker(k, lx + 18, y - 4, fill: colour)
            var label = variant + (variant == baseline ? " (baseline)" : "")
            if let same = sameAsEarlier(k, variants: variants, panels: panels) { label += " = " + same }
            svg.text(lx + 44, y, label)
        }
        if variants.indices.contains(where: { sameAsEarlier($0, variants: variants, panels: panels) != nil }) {
            svg.text(lx, 70 + 22 * Double(variants.count), "A = B: same values in every panel,", size: 10)
            svg.text(lx, 84 + 22 * Double(variants.count), "B's line is drawn over A's.", size: 10)
        }
        return svg.document
    }

    /// The first earlier variant whose line has exactly the same values in every panel.
    static func sameAsEarlier(_ k: Int, variants: [String], panels: [Panel]) -> String? {
        func values(_ v: String) -> [[Double?]] { panels.map { $0.series.first { $0.variant == v }?.values ?? [] } }
        let mine = values(variants[k])
        return variants.prefix(k).first { values($0) == mine }
    }

    /// Evenly spaced x positions with half a step of padding at both ends.
    static func xPositions(count: Int, origin: Double, width: Double) -> [Double] {
        guard count > 0 else { return [] }
        let step = width / Double(count)
        return (0..<count).map { origin + step * (Double($0) + 0.5) }
    }

    /// A y range zoomed to `lo…hi` (with 5% margins, rounded out to round ticks; 4–6 ticks).
    /// A flat line gets a range of ±1 around its value. The margin never crosses zero: counts
    /// that are all ≥ 0 keep an axis starting at or above 0.
    static func axis(min lo: Double, max hi: Double) -> (Double, Double, [Double]) {
        let margin = hi > lo ? (hi - lo) * 0.05 : 1
        let low = lo >= 0 ? Swift.max(0, lo - margin) : lo - margin
        let high = hi <= 0 ? Swift.min(0, hi + margin) : hi + margin
        let span = high - low
        let raw = span / 5
        var step = 1.0
        while step * 10 <= raw { step *= 10 }
        while step > raw * 10 && step > 1e-9 { step /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where step * m >= raw { step *= m; break }
        var start = (low / step).rounded(.down) * step
        if lo >= 0 && start < 0 { start = 0 }
        let end = Swift.max((high / step).rounded(.up) * step, start + step)
        var ticks: [Double] = []
        var t = start
        while t <= end + step / 2 { ticks.append(t); t += step }
        return (start, end, ticks)
    }
}
