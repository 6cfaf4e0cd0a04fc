import BuddyResults

/// The per-group metric tables: variants as columns (baseline first), metrics as rows.
///
/// Each cell is the mean over seeds with an mmtests-style delta against the baseline; rows where
/// every variant agrees on every seed are split off so reviewers see only what the patches change.
enum MetricTables {
    /// The main table of `group`: its differing rows only.
    static func main(_ group: MetricGroup, _ model: ReportModel, _ style: RenderStyle) -> Table {
        var table = Table([Table.Column("metric"), Table.Column("better")]
            + model.variants.indices.map { i in
                Table.Column(i == 0 ? model.variants[i] + " (baseline)" : model.variants[i], .right)
            })
        for row in group.differing {
            var cells = [style.code(row.info.name), row.info.polarity.arrow]
            let base = row.summaries.first.flatMap { $0 }
            for i in model.variants.indices {
                cells.append(cell(row, i, base: base, style))
            }
            table.append(cells)
        }
        return table
    }

    private static func cell(_ row: MetricRow, _ i: Int, base: SampleSummary?,
                             _ style: RenderStyle) -> String {
        guard let s = row.summaries[i] else { return style.missing }
        let value = NumberFormat.value(s.mean)
        guard i > 0, let base else { return value }
        let significant = row.significant(i)
        switch style {
        case .markdown:
            return value + " " + DeltaFormat.markdown(base: base.mean, value: s.mean, significant: significant)
        case .text:
            return value + " " + DeltaFormat.text(base: base.mean, value: s.mean, significant: significant)
        }
    }

    /// The rows of `group` that are identical across variants: one value column.
    static func identical(_ group: MetricGroup, _ style: RenderStyle) -> Table {
        var table = Table([Table.Column("metric"), Table.Column("better"),
                           Table.Column("value (all variants)", .right)])
        for row in group.identical {
            let value = row.summaries.first.flatMap { $0 }.map { NumberFormat.value($0.mean) }
            table.append([style.code(row.info.name), row.info.polarity.arrow, value ?? style.missing])
        }
        return table
    }

    /// Which differing rows of `group` are exact (each variant one value on every seed) and which
    /// are distributions over seeds; empty with fewer than two seeds.
    static func spreadKinds(_ group: MetricGroup, _ style: RenderStyle) -> String {
        let rows = group.differing
        let exact = rows.filter { SeedSpread($0) == .exact }.map { style.code($0.info.name) }
        let spread = rows.filter { SeedSpread($0) == .distribution }.map { style.code($0.info.name) }
        var parts: [String] = []
        if !exact.isEmpty { parts.append("exact (each variant the same on every seed): " + exact.joined(separator: ", ")) }
        if !spread.isEmpty { parts.append("distributions over seeds (spread below): " + spread.joined(separator: ", ")) }
        return parts.isEmpty ? "" : parts.joined(separator: "; ") + "."
    }

    /// Spread over seeds of the differing rows of `group`: one line per (metric, variant) with
    /// n, mean, sample stddev, CoeffVar (stddev·100/|mean|, as mmtests), min, max, 95% CI half width and the Welch test against the baseline.
    static func spread(_ group: MetricGroup, _ model: ReportModel, _ style: RenderStyle) -> Table {
        var table = Table([
            Table.Column("metric"), Table.Column("variant"), Table.Column("n", .right),
            Table.Column("mean", .right), Table.Column("stddev", .right), Table.Column("CoeffVar", .right),
            Table.Column("min", .right), Table.Column("max", .right),
            Table.Column("95% CI", .right), Table.Column("vs baseline (Welch)"),
        ])
        for row in group.differing {
            for (i, variant) in model.variants.enumerated() {
                guard let s = row.summaries[i] else { continue }
                table.append([
                    i == 0 ? style.code(row.info.name) : "", variant, String(s.n),
                    NumberFormat.fixed(s.mean, 2), NumberFormat.fixed(s.stddev, 2),
                    NumberFormat.fixed(MMTestsStat.coeffVar(s), 2) + "%", NumberFormat.value(s.min), NumberFormat.value(s.max),
                    s.ci95HalfWidth.map { "±" + NumberFormat.fixed($0, 2) } ?? style.missing,
                    i == 0 ? "baseline" : verdict(row.outcomes[i]),
                ])
            }
        }
        return table
    }

    /// The Welch column: p-value with t and df, or why there is none.
    static func verdict(_ outcome: WelchOutcome?) -> String {
        switch outcome {
        case .none:
            return "–"
        case .tested(let r)?:
            return "p" + (r.p < 0.0001 ? "" : "=") + NumberFormat.pValue(r.p) + " (t=" + NumberFormat.fixed(r.t, 2)
                + ", df=" + NumberFormat.fixed(r.df, 1) + ") "
                + (r.significant ? "significant" : "within noise")
        case .skipped(.noVariance(let differ))?:
            return differ ? "exact (no variance), differs" : "equal (no variance)"
        case .skipped(.tooFewSeeds)?:
            return "n/a (fewer than 2 seeds)"
        }
    }

    /// The legend printed under the metric tables.
    static func legend(_ model: ReportModel, _ style: RenderStyle) -> String {
        let seedText = model.seeds.count == 1 ? "1 seed" : "\(model.seeds.count) seeds"
        let mark = style == .markdown ? "*( x.xx%)*" : "( x.xx%)*"
        return "Cells: mean over \(seedText); \(style.code("( x.xx%)")) is the change against "
            + "\(model.baseline) relative to |baseline|; \(style.code("(+N)")) without % is an "
            + "absolute change where the baseline is 0. \(mark) marks a significant difference: "
            + "Welch p < 0.05 over seeds, or an exact difference (every seed gave the same value on "
            + "each side, so there is no variance to test); both need 2 or more seeds. "
            + "Better: ↑ higher, ↓ lower, →0 closer to zero."
    }
}
