import BuddyResults

/// Renders a sweep: per metric, a table point × variant (mean over seeds, delta against the
/// baseline, `*…*` when significant at that point — the same Welch test as the plain report) and
/// an SVG chart of the metric against the first swept parameter; then the pageblock heatmaps of
/// the last point.
///
/// Only metrics that change somewhere (between variants at some point, or between points) get a
/// table and a chart; the others are listed once with their value.
public func renderSweepMarkdown(_ input: SweepReportInput) -> RenderedReport {
    let sweep = SweepModel(input)
    let md = RenderStyle.markdown
    var files: [(name: String, contents: String)] = []
    var out = "# buddylab sweep report: " + input.document.experiment.name + "\n\n"
    var description = Substring(input.description)
    while let last = description.last, last.isWhitespace { description = description.dropLast() }
    if !description.isEmpty {
        out += description.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "> " + $0 }.joined(separator: "\n") + "\n\n"
    }
    let headerInput = ReportInput(document: input.document, description: "", machineLines: input.machineLines,
                                  seeds: input.seeds, expectations: input.expectations, opLabels: [:],
                                  generatedAt: input.generatedAt, command: input.command,
                                  variantOrder: input.variantOrder)
    out += ReportHeader.provenance(headerInput, sweep.all, md).markdown() + "\n"
    out += "**Summary:** " + sweep.summary(input, md) + "\n\n"
    out += "## Sweep\n\n" + sweep.parameterTable().markdown() + "\n"
    if !sweep.missing.isEmpty {
        out += "Missing runs (no record; e.g. a shard that failed): "
            + sweep.missing.prefix(20).joined(separator: "; ")
            + (sweep.missing.count > 20 ? "; … \(sweep.missing.count - 20) more" : "") + "\n\n"
    }
    out += "<details><summary>Workload hash per (point, seed): every variant must run the identical request "
        + "stream</summary>\n\n" + sweep.workloadTable(md).markdown() + "\n</details>\n\n"
    if !input.machineLines.isEmpty {
        out += "## Machine (first point)\n\n" + ReportHeader.machine(headerInput).markdown() + "\n"
    }
    out += "## Metrics\n\n"
    out += "Rows: sweep points; cells: mean over seeds with the change against \(sweep.all.baseline) at the "
        + "same point, " + md.code("*( x.xx%)*") + " when significant there (Welch p < 0.05 over seeds, "
        + "or an exact difference with no variance; needs 2 or more seeds). Charts: x is "
        + md.code(sweep.xName) + "; one line per variant, legend beside the plot, error bars the 95% "
        + "confidence interval over seeds, y axis in the metric's unit and zoomed to the data (read its ticks).\n\n"
    for metric in sweep.changingMetrics {
        let info = sweep.info(metric)
        let arrow = info.polarity.arrow
        out += "### " + info.name + (arrow.isEmpty || arrow == "–" ? "" : " " + arrow) + "\n\n"
        let file = input.chartPrefix + "." + info.name + ".svg"
        files.append((file, sweep.chart(metric)))
        out += "![\(info.name) against \(sweep.xName), one line per variant](\(file))\n\n"
        out += sweep.table(metric, md).markdown() + "\n"
        let spread = sweep.spreadNote(metric)
        if !spread.isEmpty { out += spread + "\n\n" }
    }
    let constant = sweep.constantMetrics
    if !constant.isEmpty {
        out += "<details><summary>\(constant.count) metrics identical across variants at every point</summary>\n\n"
        var table = Table([Table.Column("metric"), Table.Column("value", .right)])
        for (name, value) in constant { table.append([md.code(name), value]) }
        out += table.markdown() + "\n</details>\n\n"
    }
    if !input.expectations.isEmpty {
        out += "## Expectations\n\n"
        out += ExpectationsSection.lines(input.expectations, md).map { "- " + $0 + "\n" }.joined() + "\n"
    }
    if let last = sweep.points.last, let seed = sweep.all.seeds.first {
        let maps = sweep.variants.compactMap { v -> PageblockHeatmapSVG.Map? in
            guard let run = sweep.run(point: last.index, variant: v, seed: seed),
                  let map = run.extras?.pageblockMap, !map.isEmpty else { return nil }
            return PageblockHeatmapSVG.Map(variant: v, zones: map, free: run.extras?.pageblockFree ?? [:])
        }
        if !maps.isEmpty {
            let file = input.chartPrefix + ".pageblocks.svg"
            files.append((file, PageblockHeatmapSVG.render(maps, title: "pageblocks at the end, " + last.label + ", seed \(seed)",
                                                                axes: input.pageblockAxes)))
            out += "## Pageblock maps (point " + last.label + ", seed \(seed))\n\n"
            out += "![pageblock heatmap per variant](\(file))\n\n" + PageblockHeatmapSVG.caption + "\n\n"
        }
    }
    return RenderedReport(markdown: out.hasSuffix("\n\n") ? String(out.dropLast()) : out, files: files)
}
