import BuddyResults

/// Outcomes of scripted ops (`workload: - ops:`): op rows × variant columns.
///
/// Scripted ops are the reproducer-style part of an experiment ("pin a page at 0x400, then
/// alloc_contig_range 0x600+512"), so the table shows the representative seed's result verbatim
/// and flags — rather than averages — any seed that disagrees.
enum OpsTable {
    /// The table and its footnotes (one per (variant, op) whose result differs across seeds).
    /// Empty when no run has scripted ops.
    static func build(_ model: ReportModel, labels: [Int: String],
                      _ style: RenderStyle) -> (table: Table, notes: [String]) {
        var keywords: [Int: String] = [:]
        for variant in model.variants {
            for run in model.runs(of: variant) {
                for op in run.ops where keywords[op.index] == nil { keywords[op.index] = op.op }
            }
        }
        var table = Table([Table.Column("#", .right), Table.Column("op")]
            + model.variants.map { Table.Column($0) })
        var notes: [String] = []
        let marker = "†"
        for index in keywords.keys.sorted() {
            var cells = [String(index), labels[index] ?? keywords[index] ?? ""]
            for variant in model.variants {
                let first = model.firstRun(variant)?.ops.first { $0.index == index }?.result
                var cell = first ?? style.missing
                let others = model.runs(of: variant).dropFirst().compactMap { run -> String? in
                    guard let r = run.ops.first(where: { $0.index == index })?.result,
                          r != first else { return nil }
                    return "seed \(run.seed) \(r)"
                }
                if !others.isEmpty {
                    cell += marker
                    notes.append("\(marker) \(variant), op \(index): " + others.joined(separator: ", "))
                }
                cells.append(cell)
            }
            table.append(cells)
        }
        return (table, notes)
    }

    /// One sentence saying which seed the table shows.
    static func caption(_ model: ReportModel) -> String {
        guard let seed = model.seeds.first else { return "" }
        return model.seeds.count > 1
            ? "Results for seed \(seed); † marks a variant whose result differs on another seed."
            : "Results for seed \(seed)."
    }
}
