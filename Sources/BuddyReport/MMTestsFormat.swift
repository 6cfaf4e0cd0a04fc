import BuddyResults

/// The layout of mmtests' `compare-kernels.sh` (gormanm/mmtests `bin/lib/MMTests/Compare.pm`,
/// `_generateRenderTable`, printed by `PrintGeneric.pm`), so a comparison pastes into a mail to
/// linux-mm as is.
///
/// Rows are statistic-major, as mmtests prints them: every `Min` row, then every `Amean`, `Stddev`,
/// `CoeffVar` and `Max` row. A row is the statistic left-aligned in the width of the longest
/// statistic name, a space, the row name left-aligned in the width of the longest name (never
/// shortened: the table widens instead), then per variant `%12.2f` and ` (%7.2f%%)` — the change
/// against the baseline (`MMTestsDiff`, positive = better), the baseline's own `(   0.00%)`
/// included. The `Amean` cell of a variant whose difference Welch's t-test finds significant has
/// its parentheses replaced by `*` (`PrintGeneric`'s `:SIG:`); no other row is ever marked.
/// Fields widen when a number needs more room, so columns stay aligned. The two header lines are
/// each variant id split at its first `-` (`linux-5.18` → `linux` over `5.18`), right-aligned
/// over the column.
///
/// Counters without a "better" direction go to an `Ops` block, as mmtests prints its monitors
/// (`SummariseSingleops`, comparison hidden): one `%15.2f` value per variant, no percentage.
enum MMTestsTable {
    struct Cell {
        var value: Double
        /// Change against the baseline in percent (positive = better); nil in an `Ops` block.
        var change: Double?
        var significant = false
    }
    struct Row {
        var stat: String
        var name: String
        /// One per variant; nil where the variant has no runs.
        var cells: [Cell?]
    }

    /// mmtests' `_FieldLength` default for benchmarks, and `MonitorMmtestsvmstat`'s for `Ops`.
    static let fieldLength = 12
    static let opsFieldLength = 15
    /// mmtests' `_CompareLength`.
    static let compareLength = 7

    static func render(variants: [String], rows: [Row]) -> String {
        guard !rows.isEmpty else { return "" }
        let compare = rows.contains { $0.cells.contains { $0?.change != nil } }
        let values = rows.flatMap { $0.cells.compactMap { $0.map { NumberFormat.fixed($0.value, 2) } } }
        let changes = rows.flatMap { $0.cells.compactMap { $0?.change.map { NumberFormat.fixed($0, 2) } } }
        let field = max(compare ? fieldLength : opsFieldLength, values.map(\.count).max() ?? 0)
        let cmp = max(compareLength, changes.map(\.count).max() ?? 0)
        let column = field + (compare ? cmp + 4 : 0)
        let statWidth = rows.map(\.stat.count).max() ?? 0
        let nameWidth = rows.map(\.name.count).max() ?? 0
        var out = ""
        for line in 0..<2 {
            var text = String(repeating: " ", count: statWidth + 1 + nameWidth)
            for v in variants {
                let cut = v.firstIndex(of: "-")
                let part = line == 0 ? String(cut.map { v[..<$0] } ?? v[...])
                    : String(cut.map { v[v.index(after: $0)...] } ?? "")
                text += NumberFormat.leftPad(part, column)
            }
            out += trimmed(text) + "\n"
        }
        for row in rows {
            var text = NumberFormat.rightPad(row.stat, statWidth) + " " + NumberFormat.rightPad(row.name, nameWidth)
            for i in variants.indices {
                guard i < row.cells.count, let cell = row.cells[i] else {
                    text += NumberFormat.leftPad("-", field) + (compare ? String(repeating: " ", count: cmp + 4) : "")
                    continue
                }
                text += NumberFormat.leftPad(NumberFormat.fixed(cell.value, 2), field)
                if let change = cell.change {
                    let (open, close) = cell.significant ? ("*", "*") : ("(", ")")
                    text += " " + open + NumberFormat.leftPad(NumberFormat.fixed(change, 2), cmp) + "%" + close
                } else if compare {
                    text += String(repeating: " ", count: cmp + 4)
                }
            }
            out += trimmed(text) + "\n"
        }
        return out
    }

    /// The five statistic rows of each metric in `metrics`, statistic-major (with one seed only
    /// the `Amean` rows: there is no spread to show). `names[k]` labels `metrics[k]`.
    static func statRows(_ metrics: [MetricRow], names: [String], seeds: Int, meanOnly: Bool = false) -> [Row] {
        let stats: [MMTestsStat] = seeds >= 2 && !meanOnly ? MMTestsStat.allCases : [.amean]
        return stats.flatMap { stat in
            zip(metrics, names).map { metric, name in
                let base = metric.summaries.first.flatMap { $0 }.map(stat.value)
                return Row(stat: stat.name, name: name, cells: metric.summaries.indices.map { i in
                    guard let s = metric.summaries[i] else { return nil }
                    let value = stat.value(s)
                    let welch = stat == .amean && i > 0 && metric.outcomes[i]?.result?.significant == true
                    return Cell(value: value, change: base.map { stat.change(value, $0, metric.info.polarity) } ?? 0,
                                significant: welch)
                })
            }
        }
    }

    /// One `Ops` row per metric: the mean over seeds, no comparison.
    static func opsRows(_ metrics: [MetricRow], names: [String]) -> [Row] {
        zip(metrics, names).map { metric, name in
            Row(stat: "Ops", name: name, cells: metric.summaries.map { $0.map { Cell(value: $0.mean, change: nil) } })
        }
    }

    private static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }
}

/// The first line of every mmtests-format output: what the numbers are and how to read them.
private func mmtestsIntro(_ name: String, seeds: Int, baseline: String, perPoint: Bool) -> String {
    let seedText = "\(seeds) seed\(seeds == 1 ? "" : "s")" + (perPoint ? " per point" : "")
    return "buddylab \(name): \(seedText), change against \(baseline)"
        + (perPoint ? " at the same point" : "") + "; positive = better (mmtests pdiff/pndiff); "
        + (seeds >= 2 ? "*x.xx%* = Welch's t-test p < 0.05" : "1 seed: Amean only, no significance test") + "\n"
}

/// Which metrics are exact (the same on every seed, in every variant) and which are distributions.
private func spreadNotes(_ rows: [MetricRow]) -> String {
    let exact = rows.filter { SeedSpread($0) == .exact }.map(\.info.name)
    let spread = rows.filter { SeedSpread($0) == .distribution }.map(\.info.name)
    var out = ""
    if !exact.isEmpty { out += "exact (each variant the same on every seed): " + exact.joined(separator: ", ") + "\n" }
    if !spread.isEmpty { out += "distributions over seeds (see Stddev, CoeffVar): " + spread.joined(separator: ", ") + "\n" }
    return out
}

/// The mmtests layout of a plain report: the five statistic rows of every metric with a
/// direction on which the variants differ, then an `Ops` block of the counters without one, then
/// which metrics are exact and which are distributions, and those no variant changed.
public func renderMMTests(_ input: ReportInput) -> String {
    let model = ReportModel(input)
    let all = model.groups.flatMap(\.rows)
    let directed = all.filter { $0.info.polarity != .neutral }
    let compared = directed.filter { !$0.identical }
    let ops = all.filter { $0.info.polarity == .neutral }
    var out = mmtestsIntro(input.document.experiment.name, seeds: model.seeds.count, baseline: model.baseline, perPoint: false) + "\n"
    if compared.isEmpty {
        out += "(no metric with a direction differs between the variants)\n"
    } else {
        out += MMTestsTable.render(variants: model.variants,
                                   rows: MMTestsTable.statRows(compared, names: compared.map(\.info.name), seeds: model.seeds.count))
    }
    if !ops.isEmpty {
        out += "\n" + MMTestsTable.render(variants: model.variants, rows: MMTestsTable.opsRows(ops, names: ops.map(\.info.name)))
    }
    let notes = model.hasSpread ? spreadNotes(compared + ops.filter { !$0.identical }) : ""
    let unchanged = directed.filter(\.identical).map { row in
        row.info.name + " " + (row.summaries.first.flatMap { $0 }.map { NumberFormat.value($0.mean) } ?? "-")
    }
    if !notes.isEmpty || !unchanged.isEmpty {
        out += "\n" + notes
        if !unchanged.isEmpty { out += "identical in every variant (mean over seeds): " + unchanged.joined(separator: ", ") + "\n" }
    }
    return out
}

/// The mmtests layout of a sweep: one block per metric on which the variants differ somewhere;
/// its rows are named by the point (`10%-2MiB`), five statistic rows per point for a metric with
/// a direction, one `Ops` row per point for a counter without one. `meanOnly` (the terminal
/// summary of `run`) keeps the `Amean` rows and says where the others are.
public func renderSweepMMTests(_ input: SweepReportInput, meanOnly: Bool = false) -> String {
    let sweep = SweepModel(input)
    let seeds = sweep.all.seeds.count
    var out = mmtestsIntro(input.document.experiment.name, seeds: seeds, baseline: sweep.all.baseline, perPoint: true)
        + "points: " + sweep.parameters.joined(separator: "-") + "\n"
    if meanOnly && seeds >= 2 {
        out += "(Amean rows only; `buddylab report \(input.document.experiment.name) --format mmtests` adds Min, Stddev, CoeffVar and Max)\n"
    }
    for metric in sweep.changingMetrics {
        var rows: [MetricRow] = []
        var names: [String] = []
        for p in sweep.points {
            guard let row = sweep.row(metric, point: p.index) else { continue }
            rows.append(row)
            names.append(p.parameters.map { p.values[$0] ?? "" }.joined(separator: "-"))
        }
        let info = sweep.info(metric)
        out += "\n" + metric + polarityNote(info.polarity) + "\n"
        out += MMTestsTable.render(variants: sweep.variants, rows: info.polarity == .neutral
                                   ? MMTestsTable.opsRows(rows, names: names)
                                   : MMTestsTable.statRows(rows, names: names, seeds: seeds, meanOnly: meanOnly))
        if seeds >= 2 {
            let kinds = Set(rows.map { SeedSpread($0) })
            if kinds == [.exact] { out += "(exact: every seed gave the same value at every point)\n" }
        }
    }
    return out
}

private func polarityNote(_ p: Polarity) -> String {
    switch p {
    case .higherIsBetter: return " (higher is better)"
    case .lowerIsBetter: return " (lower is better)"
    case .zeroIsBetter: return " (closer to 0 is better)"
    case .neutral: return " (no direction: Ops, mean over seeds)"
    }
}
