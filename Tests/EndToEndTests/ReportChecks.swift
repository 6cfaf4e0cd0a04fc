import Testing

/// Checks of a rendered experiment report against the result JSON it was rendered from, shared
/// by the `run` and `report` tests.
enum ReportChecks {
    /// Column titles of the metric tables: registry order, baseline first and marked.
    static var variantColumns: [String] {
        TinyExperiment.variants.map { $0 == TinyExperiment.baseline ? $0 + " (baseline)" : $0 }
    }

    /// The provenance table at the top of the report, field → value (code quotes removed).
    static func provenance(_ report: String) throws -> [String: String] {
        let table = try #require(Markdown.tables(report).first)
        try #require(table.header == ["field", "value"])
        return Dictionary(table.rows.map { ($0[0], Markdown.unquote($0[1])) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every metric of the JSON appears exactly once: in a group's main table, where each
    /// variant's cell is its mean over seeds (plus the delta against the baseline mean), or in a
    /// group's "identical across variants" table with the one shared value.
    static func metricTables(_ report: String, _ result: ResultFile,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let section = try #require(Markdown.section(report, "## Metrics"), sourceLocation: sourceLocation)
        let baseline = TinyExperiment.baseline
        var seen: [String] = []
        for table in Markdown.tables(section) where table.header.starts(with: ["metric", "better"]) {
            if table.header == ["metric", "better", "value (all variants)"] {
                for row in table.rows {
                    let name = Markdown.unquote(row[0])
                    seen.append(name)
                    #expect(result.identicalAcrossVariants(name), "\(name) folded as identical", sourceLocation: sourceLocation)
                    #expect(row[2] == Expected.value(result.mean(name, baseline)), "\(name)", sourceLocation: sourceLocation)
                }
                continue
            }
            #expect(Array(table.header.dropFirst(2)) == variantColumns, sourceLocation: sourceLocation)
            for row in table.rows {
                let name = Markdown.unquote(row[0])
                seen.append(name)
                #expect(!result.identicalAcrossVariants(name), "\(name) shown as differing", sourceLocation: sourceLocation)
                let base = result.mean(name, baseline)
                for (i, variant) in TinyExperiment.variants.enumerated() {
                    let cell = row[2 + i]
                    let value = Expected.value(result.mean(name, variant))
                    if i == 0 {
                        #expect(cell == value, "\(name) \(variant)", sourceLocation: sourceLocation)
                    } else {
                        // The delta is emphasised when significant; which is the Welch test's call.
                        let delta = Expected.delta(base: base, value: result.mean(name, variant))
                        #expect(cell == value + " " + delta || cell == value + " *" + delta + "*",
                                "\(name) \(variant): \(cell) vs \(value) \(delta)", sourceLocation: sourceLocation)
                    }
                }
            }
        }
        #expect(seen.sorted() == result.metricNames.sorted(), sourceLocation: sourceLocation)
    }

    /// The op table shows the first seed's result of every scripted op for every variant, with
    /// `†` and a footnote naming each seed whose result differs.
    static func opsTable(_ report: String, _ result: ResultFile,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let section = try #require(Markdown.section(report, "## Scripted ops"), sourceLocation: sourceLocation)
        let table = try #require(Markdown.tables(section).first, sourceLocation: sourceLocation)
        #expect(table.header == ["#", "op"] + TinyExperiment.variants, sourceLocation: sourceLocation)
        let first = TinyExperiment.seeds[0]
        let ops = try #require(result.run(TinyExperiment.baseline, seed: first)?.ops, sourceLocation: sourceLocation)
        try #require(!ops.isEmpty, sourceLocation: sourceLocation)
        #expect(table.rows.map { $0[0] } == ops.map { String($0.index) }, sourceLocation: sourceLocation)
        var notes: [String] = []
        for (row, op) in zip(table.rows, ops) {
            #expect(row[1].hasPrefix(op.op + " ") || row[1] == op.op, "label \(row[1])", sourceLocation: sourceLocation)
            for (i, variant) in TinyExperiment.variants.enumerated() {
                let shown = try #require(result.run(variant, seed: first)?.ops.first { $0.index == op.index }?.result)
                let others = TinyExperiment.seeds.dropFirst().compactMap { seed -> String? in
                    guard let r = result.run(variant, seed: seed)?.ops.first(where: { $0.index == op.index })?.result,
                          r != shown else { return nil }
                    return "seed \(seed) \(r)"
                }
                #expect(row[2 + i] == shown + (others.isEmpty ? "" : "†"), "op \(op.index) \(variant)",
                        sourceLocation: sourceLocation)
                if !others.isEmpty { notes.append("- † \(variant), op \(op.index): " + others.joined(separator: ", ")) }
            }
        }
        let shownNotes = section.split(separator: "\n").filter { $0.hasPrefix("- † ") }.map(String.init)
        #expect(shownNotes == notes, sourceLocation: sourceLocation)
    }
}
