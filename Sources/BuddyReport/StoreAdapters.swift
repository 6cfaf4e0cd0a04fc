import BuddyResults

/// Conversions from the result store's computed history and comparison (BuddyResults) to the
/// renderer inputs, so the CLI does not have to copy fields by hand.

extension HistoryInput {
    /// The store's history table, optionally narrowed to one metric and/or variant.
    public init(name: String, table: HistoryTable, metric: String? = nil, variant: String? = nil) {
        self.init(
            name: name, metric: metric, variant: variant, threshold: table.thresholdPercent,
            rows: table.rows.map { row in
                Row(short: row.short, summary: row.summary, hasResults: row.hasResults,
                    values: row.values,
                    firstMove: row.firstMoves.map { Key(variant: $0.variant, metric: $0.metric) })
            })
    }
}

extension CompareInput {
    /// The store's comparison; gaps (results only one side has) become notes.
    public init(name: String?, revA: Revision, revB: Revision, comparison: Comparison) {
        self.init(
            name: name, revA: revA, revB: revB, threshold: comparison.thresholdPercent,
            rows: comparison.rows.map { r in
                Row(experiment: r.experiment, variant: r.variant, metric: r.metric, a: r.a, b: r.b,
                    delta: r.delta, deltaPercent: r.deltaPercent, polarity: r.polarity,
                    regression: r.regression)
            },
            notes: comparison.gaps.map { gap in
                let what = [gap.experiment, gap.variant, gap.metric].compactMap { $0 }
                    .joined(separator: " / ")
                switch gap.side {
                case .onlyA: return what + ": only in " + revA.short
                case .onlyB: return what + ": only in " + revB.short
                case .noCommonSeeds: return what + ": no seed in common, not compared"
                }
            })
    }
}
