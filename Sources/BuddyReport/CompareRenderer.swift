import BuddyResults

/// Renders `buddylab compare`: a verdict line, then the rows that moved beyond the threshold
/// (regressions first), then the rows within the threshold folded away, as package-benchmark does
/// with "results within specified thresholds".
public func renderMarkdown(_ input: CompareInput) -> String {
    var out = "# buddylab compare: " + CompareTables.revisions(input, .markdown) + "\n\n"
    out += CompareTables.header(input, .markdown).markdown() + "\n"
    out += "**Verdict:** " + CompareTables.verdict(input, .markdown) + "\n\n"
    if !input.notes.isEmpty { out += input.notes.map { "- " + $0 + "\n" }.joined() + "\n" }
    let split = CompareTables.split(input)
    if !split.moved.isEmpty {
        out += CompareTables.table(split.moved, input, .markdown).markdown() + "\n"
    }
    if !split.within.isEmpty {
        let noun = split.within.count == 1 ? "result" : "results"
        out += "<details><summary>\(split.within.count) \(noun) within ±"
            + NumberFormat.fixed(input.threshold, 2) + "%</summary>\n\n"
        out += CompareTables.table(split.within, input, .markdown).markdown() + "\n</details>\n"
    }
    return out.hasSuffix("\n\n") ? String(out.dropLast()) : out
}

/// `buddylab compare` for a terminal: the same tables, aligned, without folding.
public func renderText(_ input: CompareInput) -> String {
    var out = "buddylab compare: " + CompareTables.revisions(input, .text) + "\n\n"
    out += CompareTables.header(input, .text).text() + "\n"
    out += "Verdict: " + CompareTables.verdict(input, .text) + "\n\n"
    if !input.notes.isEmpty { out += input.notes.map { $0 + "\n" }.joined() + "\n" }
    let split = CompareTables.split(input)
    if !split.moved.isEmpty { out += CompareTables.table(split.moved, input, .text).text() + "\n" }
    if !split.within.isEmpty {
        out += "Within ±" + NumberFormat.fixed(input.threshold, 2) + "%:\n"
        out += CompareTables.table(split.within, input, .text).text()
    }
    return out.hasSuffix("\n\n") ? String(out.dropLast()) : out
}

/// Shared pieces of both compare renderings.
enum CompareTables {
    static func revisions(_ input: CompareInput, _ style: RenderStyle) -> String {
        style.code(input.revA.short) + " → " + style.code(input.revB.short)
            + (input.name.map { " (" + $0 + ")" } ?? "")
    }

    static func header(_ input: CompareInput, _ style: RenderStyle) -> Table {
        var table = Table([Table.Column(""), Table.Column("commit"), Table.Column("describe")])
        table.append(["A (reference)", style.code(input.revA.short), input.revA.describe])
        table.append(["B (candidate)", style.code(input.revB.short), input.revB.describe])
        return table
    }

    static func verdict(_ input: CompareInput, _ style: RenderStyle) -> String {
        let regressions = input.rows.filter(\.regression).count
        let limit = "±" + NumberFormat.fixed(input.threshold, 2) + "%"
        if regressions > 0 {
            return style.fail + " \(regressions) regression" + (regressions == 1 ? "" : "s")
                + " beyond \(limit) (\(input.rows.count) results compared)"
        }
        return style.pass + " no regressions beyond \(limit) (\(input.rows.count) results compared)"
    }

    /// Whether a row moved beyond the threshold: by percentage, or (baseline 0) by any change.
    static func moved(_ row: CompareInput.Row, threshold: Double) -> Bool {
        if row.regression { return true }
        guard let pct = row.deltaPercent else { return row.delta != 0 }
        return abs(pct) > threshold
    }

    /// Rows beyond the threshold (regressions first) and rows within it; each part ordered by
    /// experiment, variant id, then catalog metric order.
    static func split(_ input: CompareInput) -> (moved: [CompareInput.Row], within: [CompareInput.Row]) {
        let rank = Dictionary(uniqueKeysWithValues: MetricCatalog.names.enumerated().map { ($1, $0) })
        let ordered = input.rows.sorted { l, r in
            if l.regression != r.regression { return l.regression }
            if l.experiment != r.experiment { return (l.experiment ?? "") < (r.experiment ?? "") }
            if l.variant != r.variant { return l.variant < r.variant }
            let lr = rank[l.metric] ?? Int.max
            let rr = rank[r.metric] ?? Int.max
            return lr != rr ? lr < rr : l.metric < r.metric
        }
        return (ordered.filter { moved($0, threshold: input.threshold) },
                ordered.filter { !moved($0, threshold: input.threshold) })
    }

    /// "regression", "improvement", "changed" (no polarity) or "" (within the threshold).
    static func status(_ row: CompareInput.Row, threshold: Double, _ style: RenderStyle) -> String {
        if row.regression { return style == .markdown ? "❌ regression" : "REGRESSION" }
        guard moved(row, threshold: threshold) else { return "" }
        let better: Bool
        switch row.polarity {
        case .higherIsBetter: better = row.delta > 0
        case .lowerIsBetter: better = row.delta < 0
        case .zeroIsBetter: better = abs(row.b) < abs(row.a)
        case .neutral: return "changed"
        }
        return better ? (style == .markdown ? "✅ improvement" : "improvement") : "worse (not flagged)"
    }

    static func table(_ rows: [CompareInput.Row], _ input: CompareInput, _ style: RenderStyle) -> Table {
        let experiments = Set(input.rows.compactMap(\.experiment))
        let showExperiment = experiments.count > 1
        var table = Table((showExperiment ? [Table.Column("experiment")] : []) + [
            Table.Column("variant"), Table.Column("metric"), Table.Column("better"),
            Table.Column("A " + input.revA.short, .right), Table.Column("B " + input.revB.short, .right),
            Table.Column("delta", .right), Table.Column("delta %", .right), Table.Column("status"),
        ])
        for row in rows {
            table.append((showExperiment ? [row.experiment ?? "–"] : []) + [
                row.variant, style.code(row.metric), row.polarity.arrow,
                NumberFormat.value(row.a), NumberFormat.value(row.b),
                NumberFormat.signedValue(row.delta),
                row.deltaPercent.map { NumberFormat.signedFixed($0, 2) + "%" } ?? "–",
                status(row, threshold: input.threshold, style),
            ])
        }
        return table
    }
}
