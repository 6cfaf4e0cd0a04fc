import BuddyResults

/// Renders the experiment report for a terminal: the same tables as the markdown report with
/// aligned columns and no markup. Charts, pageblock maps and the per-seed spread tables stay in
/// the markdown report (they need folding to be readable); the `/proc` dumps are plain text
/// already, so `includeProcDumps` appends them here too.
public func renderText(_ input: ReportInput) -> String {
    let model = ReportModel(input)
    let tx = RenderStyle.text
    var out = "buddylab report: " + input.document.experiment.name + "\n"
    if !input.description.isEmpty { out += input.description + "\n" }
    out += "\n" + ReportHeader.provenance(input, model, tx).text() + "\n"
    out += "Summary: " + ReportHeader.summary(input, model, tx) + "\n\n"
    if !input.machineLines.isEmpty { out += heading("Machine") + ReportHeader.machine(input).text() + "\n" }
    out += heading("Workload") + ReportHeader.workloads(model, tx).text() + "\n"
    out += heading("Key metrics") + "Mean over seeds; * differs from the baseline beyond seed noise.\n"
    out += renderSummaryTable(model).text() + "\n"
    if !model.groups.isEmpty {
        out += heading("Metrics") + MetricTables.legend(model, tx) + "\n\n"
        for group in model.groups {
            out += "[" + group.name + "]\n"
            if !group.differing.isEmpty { out += MetricTables.main(group, model, tx).text() }
            let same = group.identical.map { row in
                row.info.name + "=" + (row.summaries.first.flatMap { $0 }.map { NumberFormat.value($0.mean) } ?? "–")
            }
            if !same.isEmpty { out += "identical across variants: " + same.joined(separator: ", ") + "\n" }
            out += "\n"
        }
    }
    let ops = OpsTable.build(model, labels: input.opLabels, tx)
    if !ops.table.isEmpty {
        out += heading("Scripted ops") + OpsTable.caption(model) + "\n" + ops.table.text()
        out += ops.notes.map { $0 + "\n" }.joined() + "\n"
    }
    if !input.expectations.isEmpty {
        out += heading("Expectations") + ExpectationsSection.lines(input.expectations, tx)
            .map { $0 + "\n" }.joined() + "\n"
    }
    let faults = FaultsSection.build(model, tx)
    out += heading("Faults") + (faults.table.isEmpty ? "None.\n" : faults.table.text())
    out += faults.more.map { $0 + "\n" }.joined()
    let dumps = input.includeProcDumps ? ProcDumps.text(model) : ""
    if !dumps.isEmpty { out += "\n" + heading("/proc views (end of run)") + dumps }
    return out
}

/// The compact key-metric × variant table that `buddylab run` prints on stdout, preceded by the
/// summary line.
///
/// Key metrics answer "what did the patches change" in a terminal-sized table: metrics with a
/// direction (↑ ↓ →0) where some variant differs from the baseline beyond seed noise (with one
/// seed: differs at all), in catalog order, at most `summaryMetricLimit`; then always `faults` and
/// `invariant_violations`. Metrics are rows and variants columns, so five variants still fit in
/// 100 columns.
public func renderSummary(_ input: ReportInput) -> String {
    let model = ReportModel(input)
    return input.document.experiment.name + ": " + ReportHeader.summary(input, model, .text) + "\n"
        + renderSummaryTable(model).text()
}

/// How many differing metrics the compact summary shows before `faults` and `invariant_violations`.
let summaryMetricLimit = 8

private func renderSummaryTable(_ model: ReportModel) -> Table {
    let rows = model.groups.flatMap(\.rows)
    let always = ["faults", "invariant_violations"]
    let key = rows.filter { row in
        guard !row.identical, row.info.polarity != .neutral, !always.contains(row.info.name) else { return false }
        return !model.hasSpread || row.outcomes.indices.contains { row.significant($0) }
    }
    let chosen = Array(key.prefix(summaryMetricLimit)) + rows.filter { always.contains($0.info.name) }
    var table = Table([Table.Column("metric"), Table.Column("better")]
        + model.variants.indices.map { i in
            Table.Column(i == 0 ? model.variants[i] + " (baseline)" : model.variants[i], .right)
        })
    for row in chosen {
        var cells = [row.info.name, row.info.polarity.arrow]
        for i in model.variants.indices {
            guard let s = row.summaries[i] else { cells.append("–"); continue }
            cells.append(NumberFormat.value(s.mean) + (i > 0 && row.significant(i) ? "*" : ""))
        }
        table.append(cells)
    }
    return table
}

private func heading(_ title: String) -> String {
    title + "\n" + String(repeating: "=", count: title.count) + "\n"
}
