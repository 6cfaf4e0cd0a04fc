import BuddyResults

/// Outcomes of scripted ops (`workload: - ops:`): op rows × variant columns.
///
/// Scripted ops are the reproducer-style part of an experiment ("pin a page at 0x400, then
/// alloc_contig_range 0x600+512"), so the table shows the representative seed's result verbatim
/// and flags — rather than averages — any seed that disagrees.
enum OpsTable {
    /// Markdown reports fold the table in `<details>` beyond this many rows.
    static let foldAbove = 300

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
        // Each run's results by op index, built once: looking an op up by scanning the run's ops
        // for every row made rendering quadratic in the script length (issue 12, defect 6:
        // 100 k ops took about 25 s).
        let results = model.variants.map { variant in
            model.runs(of: variant).map { run in
                (seed: run.seed, byIndex: Dictionary(run.ops.map { ($0.index, $0.result) },
                                                     uniquingKeysWith: { first, _ in first }))
            }
        }
        for index in keywords.keys.sorted() {
            var cells = [String(index), labels[index] ?? keywords[index] ?? ""]
            for (v, variant) in model.variants.enumerated() {
                let runs = results[v]
                let first = runs.first { $0.seed == model.seeds.first }?.byIndex[index]
                var cell = first ?? style.missing
                let others = runs.dropFirst().compactMap { run -> String? in
                    guard let r = run.byIndex[index], r != first else { return nil }
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
