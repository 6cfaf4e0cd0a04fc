import BuddyResults

/// Line charts of `RunExtras.series` as GitHub mermaid `xychart-beta` blocks.
///
/// GitHub renders mermaid natively, so charts travel with the markdown without image files.
/// The blocks stay strictly inside the xychart-beta grammar (`title`, `x-axis`, `y-axis`, `line`):
/// config front matter and directives are left out because older renderers reject them. Since
/// xychart-beta draws no legend, every chart is followed by a table mapping line order (which is
/// also mermaid's palette order) to variant ids.
enum Charts {
    /// Above this many points the x axis is a numeric range instead of one category per point.
    static let maxCategories = 30

    /// One chart per series name (ascending), variants in column order, representative seed.
    /// Series with no values in any variant are skipped.
    static func markdown(_ model: ReportModel) -> String {
        guard let seed = model.seeds.first else { return "" }
        var names = Set<String>()
        for variant in model.variants {
            if let keys = model.firstRun(variant)?.extras?.series.keys { names.formUnion(keys) }
        }
        var out = ""
        for name in names.sorted() {
            let lines = model.variants.compactMap { variant -> (String, [Int])? in
                guard let values = model.firstRun(variant)?.extras?.series[name],
                      !values.isEmpty else { return nil }
                return (variant, values)
            }
            guard !lines.isEmpty else { continue }
            out += "### " + name + "\n\n"
            out += chart(title: name + " (seed \(seed))", lines: lines.map(\.1))
            out += "\n" + legend(lines, baseline: model.baseline) + "\n"
        }
        return out
    }

    /// A fenced mermaid block for `lines`, each a series of integers plotted against its index.
    static func chart(title: String, lines: [[Int]]) -> String {
        let count = lines.map(\.count).max() ?? 0
        let all = lines.flatMap { $0 }
        // The y range always includes 0 so drifts are drawn against the zero line.
        let lo = min(0, all.min() ?? 0)
        var hi = max(0, all.max() ?? 0)
        if hi == lo { hi = lo + 1 }
        var out = "```mermaid\nxychart-beta\n"
        out += "    title " + quoted(title) + "\n"
        if count <= maxCategories {
            out += "    x-axis [" + (1...max(1, count)).map(String.init).joined(separator: ", ") + "]\n"
        } else {
            out += "    x-axis \"sample\" 1 --> \(count)\n"
        }
        out += "    y-axis \"value\" \(lo) --> \(hi)\n"
        for line in lines {
            out += "    line [" + line.map(String.init).joined(separator: ", ") + "]\n"
        }
        return out + "```\n"
    }

    /// The legend table under a chart; a series equal to an earlier one says which line hides it.
    static func legend(_ lines: [(String, [Int])], baseline: String) -> String {
        var table = Table([Table.Column("line", .right), Table.Column("variant"),
                           Table.Column("points", .right), Table.Column("note")])
        for (i, line) in lines.enumerated() {
            var notes: [String] = []
            if line.0 == baseline { notes.append("baseline") }
            if let same = lines.prefix(i).firstIndex(where: { $0.1 == line.1 }) {
                notes.append("same values as line \(same + 1) (drawn on top of it)")
            }
            table.append([String(i + 1), line.0, String(line.1.count), notes.joined(separator: "; ")])
        }
        return "Line order (mermaid's palette order; xychart-beta draws no legend):\n\n" + table.markdown()
    }

    /// A double-quoted mermaid string: inner double quotes become single quotes, line breaks spaces.
    static func quoted(_ s: String) -> String {
        "\"" + Table.flatten(s).replacing("\"", with: "'") + "\""
    }
}
