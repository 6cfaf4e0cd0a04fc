import BuddyResults

/// Renders `buddylab history`: one table per metric, commits (newest first) × variants.
///
/// One table per metric rather than one wide table because the question asked of a history is
/// "when did *this* number change, and for which design"; the first commit where it moved beyond
/// the threshold is marked `⚠` (bold in markdown) so a bisect can start there.
public func renderMarkdown(_ input: HistoryInput) -> String {
    var out = "# buddylab history: " + input.name + "\n\n" + HistoryTables.caption(input, .markdown) + "\n\n"
    let metrics = HistoryTables.metrics(input)
    if metrics.isEmpty { return out + "No results stored for these commits.\n" }
    for metric in metrics {
        out += "## " + HistoryTables.title(metric, .markdown) + "\n\n"
        out += HistoryTables.table(input, metric: metric, .markdown).markdown() + "\n"
    }
    return String(out.dropLast())
}

/// `buddylab history` for a terminal: the same tables, aligned, `!` instead of bold + ⚠.
public func renderText(_ input: HistoryInput) -> String {
    var out = "buddylab history: " + input.name + "\n" + HistoryTables.caption(input, .text) + "\n\n"
    let metrics = HistoryTables.metrics(input)
    if metrics.isEmpty { return out + "No results stored for these commits.\n" }
    for metric in metrics {
        out += HistoryTables.title(metric, .text) + "\n"
        out += HistoryTables.table(input, metric: metric, .text).text() + "\n"
    }
    return String(out.dropLast())
}

/// Shared pieces of both history renderings.
enum HistoryTables {
    static func caption(_ input: HistoryInput, _ style: RenderStyle) -> String {
        var parts = ["Newest commit first, first-parent history."]
        if let metric = input.metric { parts.append("Metric: " + style.code(metric) + ".") }
        if let variant = input.variant { parts.append("Variant: " + variant + ".") }
        let marker = style == .markdown ? "**⚠ value**" : "! value"
        let threshold = input.threshold.map { " by more than " + NumberFormat.fixed($0, 2) + "%" } ?? ""
        parts.append("\(marker) marks the first commit where the metric moved\(threshold); "
                     + "– means no stored results for that commit.")
        return parts.joined(separator: " ")
    }

    static func title(_ metric: String, _ style: RenderStyle) -> String {
        let info = MetricCatalog.info(metric)
        let arrow = info.map { $0.polarity.arrow.isEmpty ? "" : " (" + $0.polarity.arrow + " better)" } ?? ""
        return style.code(metric) + arrow
    }

    /// Metrics present in any row, catalog order first, then unknown names ascending.
    static func metrics(_ input: HistoryInput) -> [String] {
        var present = Set<String>()
        for row in input.rows { for values in row.values.values { present.formUnion(values.keys) } }
        if let only = input.metric { present = present.filter { $0 == only } }
        return MetricCatalog.names.filter(present.contains)
            + present.subtracting(MetricCatalog.names).sorted()
    }

    /// Variants present in any row, ascending (or only `input.variant`).
    static func variants(_ input: HistoryInput) -> [String] {
        var present = Set<String>()
        for row in input.rows { present.formUnion(row.values.keys) }
        if let only = input.variant { present = present.filter { $0 == only } }
        return present.sorted()
    }

    static func table(_ input: HistoryInput, metric: String, _ style: RenderStyle) -> Table {
        let variants = variants(input)
        var table = Table([Table.Column("commit")] + variants.map { Table.Column($0, .right) })
        for row in input.rows {
            var cells = [style.code(row.short) + " " + row.summary]
            for variant in variants {
                guard row.hasResults, let value = row.values[variant]?[metric] else {
                    cells.append("–")
                    continue
                }
                let text = NumberFormat.value(value)
                let moved = row.firstMove.contains(HistoryInput.Key(variant: variant, metric: metric))
                cells.append(moved ? (style == .markdown ? "**⚠ " + text + "**" : "! " + text) : text)
            }
            table.append(cells)
        }
        return table
    }
}
