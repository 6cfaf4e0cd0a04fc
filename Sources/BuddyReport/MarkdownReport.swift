import BuddyResults

/// Renders the experiment report as GitHub-flavoured markdown.
///
/// Layout, top to bottom: header (provenance, machine, workload hashes), summary line, one table
/// per metric group (identical rows and the spread over seeds folded), scripted-op outcomes,
/// expectations, faults, per-iteration series, pageblock maps and — with `includeProcDumps` — the `/proc`
/// dumps. Sections without data are left out. Pure: the same input always gives the same bytes.
public func renderMarkdown(_ input: ReportInput) -> String {
    let model = ReportModel(input)
    let md = RenderStyle.markdown
    var out = "# buddylab report: " + input.document.experiment.name + "\n\n"
    // A folded YAML scalar (`description: >`) ends in a newline: quote only up to the text's end.
    var description = Substring(input.description)
    while let last = description.last, last.isWhitespace { description = description.dropLast() }
    if !description.isEmpty {
        out += description.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "> " + $0 }.joined(separator: "\n") + "\n\n"
    }
    out += ReportHeader.provenance(input, model, md).markdown() + "\n"
    out += "**Summary:** " + ReportHeader.summary(input, model, md) + "\n\n"
    if !input.machineLines.isEmpty {
        out += "## Machine\n\n" + ReportHeader.machine(input).markdown() + "\n"
    }
    if !input.variantLines.isEmpty {
        var t = Table([Table.Column("variant"), Table.Column("models")])
        for line in input.variantLines { t.append([line.name, line.value]) }
        out += "## Variants\n\n" + t.markdown() + "\n"
    }
    out += "## Workload\n\n"
    out += "Every variant must run the identical request stream for a seed; the hash proves it.\n\n"
    out += ReportHeader.workloads(model, md).markdown() + "\n"
    out += metricsMarkdown(model)
    out += opsMarkdown(input, model)
    out += RealKernelSection.markdown(input, model)
    if !input.expectations.isEmpty {
        out += "## Expectations\n\n"
        out += ExpectationsSection.lines(input.expectations, md).map { "- " + $0 + "\n" }.joined() + "\n"
    }
    out += faultsMarkdown(model)
    out += PinnedDivergenceSection.markdown(model)
    let charts = Charts.markdown(model)
    if !charts.isEmpty {
        // The `age:` clause only where such series exist, so older reports keep their text.
        let aged = charts.contains("### highorder_")
        out += "## Series\n\nSamples taken during the run of the first seed: the drift series after each "
            + "`repeat:` iteration, `contig_successes_per_phase` after each `contig:` phase"
            + (aged ? ", `highorder_*_per_phase` (requests of order > 3 and their successes) after each `age:` phase" : "")
            + ". Variants with the same values share a column; the key under each table names them.\n\n" + charts
    }
    out += TimeSeriesSection.markdown(input, model)
    let maps = PageblockMap.markdown(model)
    if !maps.isEmpty {
        out += "## Pageblock maps (end of run, seed \(model.seeds.first.map(String.init) ?? ""))\n\n"
        if let file = input.pageblockHeatmapFile {
            out += "![pageblock heatmap per variant](\(file))\n\n" + PageblockHeatmapSVG.caption + "\n\n"
        }
        out += PageblockMap.legend(md) + "\n\n" + maps
    }
    let dumps = input.includeProcDumps ? ProcDumps.markdown(model) : ""
    if !dumps.isEmpty { out += "## /proc views (end of run)\n\n" + dumps }
    return out.hasSuffix("\n\n") ? String(out.dropLast()) : out
}

/// The metric groups: a table of differing rows, then folded identical rows and spread.
private func metricsMarkdown(_ model: ReportModel) -> String {
    guard !model.groups.isEmpty else { return "" }
    var out = "## Metrics\n\n" + MetricTables.legend(model, .markdown) + "\n\n"
    for group in model.groups {
        out += "### " + group.name + "\n\n"
        if group.differing.isEmpty {
            out += "No differences between variants.\n\n"
        } else {
            out += MetricTables.main(group, model, .markdown).markdown() + "\n"
            let kinds = model.hasSpread ? MetricTables.spreadKinds(group, .markdown) : ""
            if !kinds.isEmpty { out += kinds + "\n\n" }
        }
        let identical = group.identical
        if !identical.isEmpty {
            let noun = identical.count == 1 ? "metric" : "metrics"
            out += "<details><summary>\(identical.count) \(noun) identical across variants</summary>\n\n"
            out += MetricTables.identical(group, .markdown).markdown() + "\n</details>\n\n"
        }
        if model.hasSpread && !group.differing.isEmpty {
            out += "<details><summary>Spread over \(model.seeds.count) seeds: stddev, CoeffVar, 95% CI, "
                + "Welch test</summary>\n\n"
            out += MetricTables.spread(group, model, .markdown).markdown() + "\n</details>\n\n"
        }
    }
    return out
}

private func opsMarkdown(_ input: ReportInput, _ model: ReportModel) -> String {
    let ops = OpsTable.build(model, labels: input.opLabels, .markdown)
    guard !ops.table.isEmpty else { return "" }
    var out = "## Scripted ops\n\n" + OpsTable.caption(model) + "\n\n"
    if ops.table.rows.count > OpsTable.foldAbove {
        // A long script (a trace-like reproducer) would bury the rest of the report.
        out += "<details><summary>\(ops.table.rows.count) scripted ops (folded: more than "
            + "\(OpsTable.foldAbove) rows)</summary>\n\n" + ops.table.markdown() + "\n</details>\n\n"
    } else {
        out += ops.table.markdown() + "\n"
    }
    if !ops.notes.isEmpty { out += ops.notes.map { "- " + $0 + "\n" }.joined() + "\n" }
    return out
}

private func faultsMarkdown(_ model: ReportModel) -> String {
    let faults = FaultsSection.build(model, .markdown)
    guard !faults.table.isEmpty else { return "## Faults\n\nNone.\n\n" }
    var out = "## Faults\n\n"
    out += "Conditions the kernel would crash or hang on (first \(FaultsSection.perVariantLimit) "
        + "per variant).\n\n" + faults.table.markdown() + "\n"
    if !faults.more.isEmpty { out += faults.more.map { "- " + $0 + "\n" }.joined() + "\n" }
    return out
}
