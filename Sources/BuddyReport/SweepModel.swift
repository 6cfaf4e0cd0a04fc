import BuddyResults

/// The comparison a sweep report shows: one `ReportModel` per point (so each point's cells and
/// significance are computed exactly as in a plain report), plus what the axes need.
struct SweepModel {
    /// Every run, as one model: provenance, variant order, baseline, seeds.
    let all: ReportModel
    let points: [RunPoint]
    let models: [Int: ReportModel]
    let variants: [String]
    /// Parameter names in file order; the first is the charts' x axis.
    let parameters: [String]
    var xName: String { parameters.first ?? "point" }
    /// "point label: variant seed N" for every expected run without a record.
    let missing: [String]
    private let runsByKey: [RunKey: RunResult]
    private struct RunKey: Hashable { let point: Int; let variant: String; let seed: UInt64 }

    init(_ input: SweepReportInput) {
        let runs = input.document.runs
        func model(_ subset: [RunResult]) -> ReportModel {
            var doc = input.document
            doc.runs = subset
            return ReportModel(ReportInput(document: doc, description: "", machineLines: [], seeds: input.seeds,
                                           expectations: [], opLabels: [:], generatedAt: "", command: "",
                                           variantOrder: input.variantOrder))
        }
        all = model(runs)
        variants = all.variants
        var found: [Int: RunPoint] = [:]
        for run in runs { if let p = run.point, found[p.index] == nil { found[p.index] = p } }
        points = input.points.isEmpty ? found.keys.sorted().compactMap { found[$0] } : input.points
        parameters = points.first?.parameters ?? []
        let byPoint = Dictionary(grouping: runs) { $0.point?.index ?? -1 }
        var models: [Int: ReportModel] = [:]
        for p in points { models[p.index] = model(byPoint[p.index] ?? []) }
        self.models = models
        var keyed: [RunKey: RunResult] = [:]
        for run in runs {
            let key = RunKey(point: run.point?.index ?? -1, variant: run.variant, seed: run.seed)
            if keyed[key] == nil { keyed[key] = run }
        }
        runsByKey = keyed
        var missing: [String] = []
        for p in points { for v in all.variants { for s in all.seeds where keyed[RunKey(point: p.index, variant: v, seed: s)] == nil {
            missing.append(p.label + ": " + v + " seed \(s)")
        } } }
        self.missing = missing
    }

    func run(point: Int, variant: String, seed: UInt64) -> RunResult? {
        runsByKey[RunKey(point: point, variant: variant, seed: seed)]
    }

    func info(_ metric: String) -> MetricInfo {
        MetricCatalog.all.first { $0.name == metric } ?? MetricInfo(metric, MetricGroup.otherName, .neutral, "")
    }

    /// The row of `metric` at point `index`, if that point has runs, with its columns in the
    /// sweep's variant order (a point missing a variant's runs — a failed shard — has an empty
    /// column there, so columns never shift).
    func row(_ metric: String, point index: Int) -> MetricRow? {
        guard let model = models[index],
              let row = model.groups.lazy.flatMap(\.rows).first(where: { $0.info.name == metric }) else { return nil }
        if model.variants == variants { return row }
        return MetricRow(info: row.info, samples: variants.map { v in
            model.variants.firstIndex(of: v).map { row.samples[$0] } ?? []
        })
    }

    /// Every metric present, in catalog order (unknown ones after, ascending).
    var metrics: [String] {
        var present = Set<String>()
        for m in models.values { for g in m.groups { for r in g.rows { present.insert(r.info.name) } } }
        return MetricCatalog.names.filter(present.contains) + present.subtracting(MetricCatalog.names).sorted()
    }

    /// Metrics on which the variants differ at some point: the ones a design changes. A variant
    /// without runs at a point (a failed shard) is no difference.
    var changingMetrics: [String] {
        metrics.filter { metric in
            points.contains { p in
                guard let row = row(metric, point: p.index) else { return false }
                let present = row.samples.filter { !$0.isEmpty }
                return present.contains { $0 != present[0] }
            }
        }
    }

    /// The others: identical across variants at every point, with their value, or the range of
    /// the baseline's means over the points when the value moves with the sweep (e.g. `events`).
    var constantMetrics: [(String, String)] {
        let changing = Set(changingMetrics)
        return metrics.filter { !changing.contains($0) }.map { metric in
            let means = points.compactMap { self.row(metric, point: $0.index)?.summaries.first ?? nil }.map(\.mean)
            guard let lo = means.min(), let hi = means.max() else { return (metric, "–") }
            return (metric, lo == hi ? NumberFormat.value(lo)
                    : NumberFormat.value(lo) + " … " + NumberFormat.value(hi) + " (varies with the sweep)")
        }
    }

    /// Parameter → its values in matrix order.
    func values(of parameter: String) -> [String] {
        var out: [String] = []
        for p in points { if let v = p.values[parameter], !out.contains(v) { out.append(v) } }
        return out
    }

    func parameterTable() -> Table {
        var table = Table([Table.Column("parameter"), Table.Column("values")])
        for name in parameters { table.append([RenderStyle.markdown.code("$" + name), values(of: name).joined(separator: ", ")]) }
        table.append(["points", "\(points.count) (matrix order, first parameter slowest)"])
        return table
    }

    /// The point × variant table of `metric`.
    func table(_ metric: String, _ style: RenderStyle) -> Table {
        var table = Table([Table.Column("point")] + variants.indices.map { i in
            Table.Column(i == 0 ? variants[i] + " (baseline)" : variants[i], .right)
        })
        for p in points {
            guard let row = row(metric, point: p.index) else {
                table.append([p.label] + variants.map { _ in style.missing }); continue
            }
            let base = row.summaries.first.flatMap { $0 }
            var cells = [p.label]
            for i in variants.indices {
                guard i < row.summaries.count, let s = row.summaries[i] else { cells.append(style.missing); continue }
                let value = NumberFormat.value(s.mean)
                guard i > 0, let base else { cells.append(value); continue }
                cells.append(value + " " + (style == .markdown
                    ? DeltaFormat.markdown(base: base.mean, value: s.mean, significant: row.significant(i))
                    : DeltaFormat.text(base: base.mean, value: s.mean, significant: row.significant(i))))
            }
            table.append(cells)
        }
        return table
    }

    /// Whether `metric` is exact (each variant the same on every seed, at every point) or a
    /// distribution over seeds, with its largest CoeffVar; empty with fewer than two seeds.
    func spreadNote(_ metric: String) -> String {
        guard all.seeds.count >= 2 else { return "" }
        let rows = points.compactMap { row(metric, point: $0.index) }
        let varying = rows.filter { SeedSpread($0) == .distribution }
        if varying.isEmpty { return "Exact: each variant gave the same value on every seed at every point." }
        let cv = varying.flatMap { $0.summaries.compactMap { $0.map(MMTestsStat.coeffVar) } }.max() ?? 0
        return "Varies with the seed at \(varying.count) of \(rows.count) points: cells are means over "
            + "\(all.seeds.count) seeds (CoeffVar up to " + NumberFormat.fixed(cv, 2) + "%); the chart shows their 95% CI."
    }

    /// The SVG chart of `metric` against the first parameter, one panel per combination of the
    /// others.
    func chart(_ metric: String) -> String {
        let xValues = values(of: xName)
        var panelOrder: [String] = []
        var panelPoints: [String: [RunPoint]] = [:]
        for p in points {
            let key = parameters.dropFirst().map { "\($0)=\(p.values[$0] ?? "")" }.joined(separator: " ")
            if panelPoints[key] == nil { panelOrder.append(key) }
            panelPoints[key, default: []].append(p)
        }
        let panels = panelOrder.map { key in
            SweepChartSVG.Panel(title: key.isEmpty ? metric : key, series: variants.enumerated().map { i, v -> SweepChartSVG.Series in
                let summaries = xValues.map { x -> SampleSummary? in
                    guard let p = panelPoints[key]?.first(where: { $0.values[xName] == x }),
                          let row = row(metric, point: p.index), i < row.summaries.count else { return nil }
                    return row.summaries[i]
                }
                return SweepChartSVG.Series(variant: v, values: summaries.map { $0?.mean },
                                            ci: summaries.map { $0?.ci95HalfWidth })
            })
        }
        return SweepChartSVG.render(metric: metric, xName: xName, xValues: xValues, panels: panels,
                                    variants: variants, baseline: all.baseline, unit: MetricUnits.unit(metric),
                                    seeds: all.seeds.count)
    }

    /// One row per (point, seed): the request stream's hash and whether every variant ran it.
    func workloadTable(_ style: RenderStyle) -> Table {
        var table = Table([Table.Column("point"), Table.Column("seed", .right), Table.Column("workload sha256"),
                           Table.Column("shared by all variants")])
        for p in points {
            for s in all.seeds {
                let runs = variants.compactMap { run(point: p.index, variant: $0, seed: s) }
                let hashes = Set(runs.map(\.workloadSHA256))
                let verdict = runs.isEmpty ? "no runs"
                    : hashes.count == 1 ? style.pass + " yes (\(runs.count) variants)" : style.fail + " NO"
                table.append([p.label, String(s), style.code(runs.first?.workloadSHA256 ?? "–"), verdict])
            }
        }
        return table
    }

    /// "N points × V variants × S seeds · runs present R of E · expectations …".
    func summary(_ input: SweepReportInput, _ style: RenderStyle) -> String {
        let expected = points.count * variants.count * all.seeds.count
        let present = expected - missing.count
        let passed = input.expectations.filter(\.passed).count
        var parts = ["\(points.count) points × \(variants.count) variants × \(all.seeds.count) seeds",
                     (missing.isEmpty ? "" : style.fail + " ") + "runs present \(present) of \(expected)"]
        if !input.expectations.isEmpty {
            let failed = input.expectations.count - passed
            parts.append((failed == 0 ? style.pass : style.fail) + " expectations \(passed)/\(input.expectations.count) passed")
        }
        let violations = runsByKey.values.reduce(0) { $0 + ($1.metrics["invariant_violations"] ?? 0) }
        parts.append((violations > 0 ? style.fail + " " : "") + "invariant violations \(violations)")
        let shared = points.allSatisfy { p in
            all.seeds.allSatisfy { s in
                let hashes = variants.compactMap { run(point: p.index, variant: $0, seed: s)?.workloadSHA256 }
                return hashes.allSatisfy { $0 == hashes.first }
            }
        }
        parts.append(shared ? "every variant ran the identical stream at every (point, seed)"
                     : style.fail + " variants ran different workloads")
        return parts.joined(separator: " · ")
    }
}
