import BuddyResults

/// The layout of mmtests' `compare-kernels.sh`, so a comparison pastes into a mail to linux-mm
/// as is: one column per variant (baseline first), rows `Amean <name>` with the mean over seeds
/// and the change against the baseline as `(   x.xx%)`, or `*   x.xx%*` when significant.
///
/// As in mmtests (`bin/lib/MMTests/Compare.pm`): the statistic column, then the row name, then
/// per variant a `%W.2f` value followed by the percentage in a fixed field (the baseline's own
/// `(   0.00%)` included); the two header lines are each variant id split at its first `-`
/// (`linux-5.18` → `linux` over `5.18`), right-aligned over its column. Where the baseline is 0
/// the change is absolute, `(    +12)`, as in the markdown report. To fit 80 columns with two or
/// three variants the value field is as narrow as the numbers allow (at least 8), and row names
/// longer than the room left are shortened with a `~` and listed in full under the table.
enum MMTestsTable {
    struct Row { var stat: String; var name: String; var metric: MetricRow }

    static let lineWidth = 80

    static func render(variants: [String], rows: [Row]) -> String {
        let values = rows.flatMap { row in row.metric.summaries.compactMap { $0.map { NumberFormat.fixed($0.mean, 2) } } }
        let field = max(8, values.map(\.count).max() ?? 8)
        let column = field + 12   // " " + value + " " + "(" + 8 + ")"
        let stat = max(5, rows.map(\.stat.count).max() ?? 5)
        let room = lineWidth - stat - 1 - column * variants.count
        let longest = rows.map(\.name.count).max() ?? 0
        let nameWidth = longest <= room ? longest : max(10, room)
        var shortened: [(String, String)] = []
        func shown(_ name: String) -> String {
            guard name.count > nameWidth else { return name }
            let short = String(name.prefix(nameWidth - 1)) + "~"
            if !shortened.contains(where: { $0.1 == name }) { shortened.append((short, name)) }
            return short
        }
        var out = ""
        for line in 0..<2 {
            var text = String(repeating: " ", count: stat + 1 + nameWidth)
            for v in variants {
                let cut = v.firstIndex(of: "-")
                let part = line == 0 ? String(cut.map { v[..<$0] } ?? v[...])
                    : String(cut.map { v[v.index(after: $0)...] } ?? "")
                text += NumberFormat.leftPad(part, column)
            }
            out += trimmed(text) + "\n"
        }
        for row in rows {
            var text = NumberFormat.rightPad(row.stat, stat) + " " + NumberFormat.rightPad(shown(row.name), nameWidth)
            let base = row.metric.summaries.first.flatMap { $0 }?.mean
            for i in variants.indices {
                guard i < row.metric.summaries.count, let s = row.metric.summaries[i] else {
                    text += NumberFormat.leftPad("–", column); continue
                }
                let delta = base.map { DeltaFormat.delta(base: $0, value: s.mean) } ?? DeltaFormat.percent(0)
                // `(   1.00%)` or, against a zero baseline, `(    +512)`: the same 8 columns inside.
                let inner = NumberFormat.leftPad(String(delta.dropFirst().dropLast()), 8)
                let significant = i > 0 && row.metric.significant(i)
                let marked = significant ? "*" + inner + "*" : "(" + inner + ")"
                text += " " + NumberFormat.leftPad(NumberFormat.fixed(s.mean, 2), field) + " " + marked
            }
            out += trimmed(text) + "\n"
        }
        if !shortened.isEmpty {
            out += "\n" + shortened.map { "  \($0.0) = \($0.1)" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    private static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }
}

/// The mmtests layout of a plain report: one `Amean` row per metric on which the variants differ
/// (all metrics when none does), a note on what the columns are below.
public func renderMMTests(_ input: ReportInput) -> String {
    let model = ReportModel(input)
    let all = model.groups.flatMap(\.rows)
    let differing = all.filter { !$0.identical }
    let rows = (differing.isEmpty ? all : differing).map { MMTestsTable.Row(stat: "Amean", name: $0.info.name, metric: $0) }
    return "buddylab \(input.document.experiment.name): mean over \(model.seeds.count) seed\(model.seeds.count == 1 ? "" : "s"), "
        + "change against \(model.baseline); *x.xx%* significant (Welch p < 0.05 or exact)\n\n"
        + MMTestsTable.render(variants: model.variants, rows: rows)
        + (differing.isEmpty ? "\n(no metric differs between the variants)\n" : "")
}

/// The mmtests layout of a sweep: one block per metric on which the variants differ somewhere,
/// one `Amean` row per point (named by its values, e.g. `10%-2MiB`).
public func renderSweepMMTests(_ input: SweepReportInput) -> String {
    let sweep = SweepModel(input)
    let seeds = sweep.all.seeds.count
    var out = "buddylab \(input.document.experiment.name): mean over \(seeds) seed\(seeds == 1 ? "" : "s") per point, "
        + "change against \(sweep.all.baseline) at the same point; *x.xx%* significant\n"
        + "points: " + sweep.parameters.joined(separator: "-") + "\n"
    for metric in sweep.changingMetrics {
        let rows = sweep.points.compactMap { p -> MMTestsTable.Row? in
            guard let row = sweep.row(metric, point: p.index) else { return nil }
            return MMTestsTable.Row(stat: "Amean", name: p.parameters.map { p.values[$0] ?? "" }.joined(separator: "-"), metric: row)
        }
        out += "\n" + metric + "\n" + MMTestsTable.render(variants: sweep.variants, rows: rows)
    }
    return out
}
