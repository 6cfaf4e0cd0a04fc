import BuddyResults

/// "Over time": the `series:` charts linked from the report, and a table of each drawn metric
/// at the last point (mean over seeds) so the numbers can be read without the pictures.
enum TimeSeriesSection {
    static func markdown(_ input: ReportInput, _ model: ReportModel) -> String {
        let metrics = TimeSeriesChartSVG.metrics(input)
        guard !metrics.isEmpty else { return "" }
        let every = model.firstRun(model.variants.first ?? "")?.series?["t"].flatMap { $0.count > 1 ? $0[1] - $0[0] : nil }
        var out = "## Over time\n\nThe run's `series:` (a point every \(every.map(String.init) ?? "?") events, in the "
            + "result JSON under `series`): one chart per metric, variants overlaid, the mean over seeds at "
            + "each point. Per-order free counts per migratetype (`free_blocks_<type>_o<order>`) are in the "
            + "JSON only.\n\n"
        for m in metrics {
            if let file = input.timeSeriesFiles[m] { out += "![\(m) over the run](\(file))\n" }
            if m == "nr_free_pages", let file = input.timeSeriesFiles[TimeSeriesChartSVG.zoomedName] {
                out += "![nr_free_pages near the watermarks](\(file))\n"
            }
        }
        if !input.timeSeriesFiles.isEmpty { out += "\n" }
        var t = Table([Table.Column("metric"), Table.Column("unit")] + model.variants.map { Table.Column($0, .right) })
        for m in metrics {
            let ls = TimeSeriesChartSVG.lines(m, model)
            var row = [m, MetricUnits.unit(m)]
            for v in model.variants {
                let last = ls.first { $0.variant == v }?.y.last ?? nil
                row.append(last.map { NumberFormat.fixed($0, 1) } ?? "–")
            }
            t.append(row)
        }
        out += "<details><summary>Each metric at the last point</summary>\n\n" + t.markdown() + "\n</details>\n\n"
        return out
    }
}
