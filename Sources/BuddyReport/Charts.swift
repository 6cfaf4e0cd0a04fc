import BuddyResults

/// The time series of `RunExtras.series` as tables: the drift series gain a sample after each
/// `repeat:` iteration, `contig_successes_per_phase` one after each `contig:` phase.
///
/// These series are short (one value per iteration or phase) and many variants share a line exactly, so a
/// table says more than a picture: variants with the same series share one column, named by a
/// letter and listed in a key under the table, and every value is printed, not read off an axis.
/// (The mermaid `xychart-beta` charts this replaced drew sixteen unlabelled, overlapping lines
/// with no legend and no units.) Rows beyond `foldAbove` are folded.
enum Charts {
    /// Longer tables are folded in `<details>`.
    static let foldAbove = 20

    /// One table per series name (ascending), variants in column order, representative seed.
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
            out += "### " + name + " (" + MetricUnits.unit(name) + ", seed \(seed))\n\n"
            out += table(lines, baseline: model.baseline)
        }
        return out
    }

    /// The table of one series: a row per sample, a column per distinct line, then the key.
    static func table(_ lines: [(String, [Int])], baseline: String) -> String {
        var groups: [(values: [Int], variants: [String])] = []
        for (variant, values) in lines {
            if let g = groups.firstIndex(where: { $0.values == values }) {
                groups[g].variants.append(variant)
            } else {
                groups.append((values, [variant]))
            }
        }
        let letters = groups.indices.map(letter)
        var table = Table([Table.Column("sample", .right)] + letters.map { Table.Column($0, .right) })
        let count = groups.map(\.values.count).max() ?? 0
        for i in 0..<count {
            table.append([String(i + 1)] + groups.map { i < $0.values.count ? String($0.values[i]) : "–" })
        }
        var out = table.rows.count > foldAbove
            ? "<details><summary>\(table.rows.count) samples</summary>\n\n" + table.markdown() + "\n</details>\n\n"
            : table.markdown() + "\n"
        for (g, group) in groups.enumerated() {
            let names = group.variants.map { $0 == baseline ? $0 + " (baseline)" : $0 }
            out += "- **" + letters[g] + "**: " + names.joined(separator: ", ") + "\n"
        }
        return out + "\n"
    }

    /// A, B, …, Z, AA, AB, …
    static func letter(_ i: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return i < 26 ? String(alphabet[i]) : letter(i / 26 - 1) + String(alphabet[i % 26])
    }
}
