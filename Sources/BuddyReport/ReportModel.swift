import BuddyResults

/// The comparison a report shows, computed once from a `ReportInput` and shared by the markdown
/// and text renderers (package-benchmark's split: comparison returns data, renderers format it).
///
/// Everything is ordered here — variants, seeds, groups, metrics — so no renderer ever iterates a
/// dictionary.
struct ReportModel: Sendable {
    /// Column order: see `ReportInput.variantOrder`. The baseline is always first.
    let variants: [String]
    let baseline: String
    /// Seed order; `seeds.first` is the representative seed for charts, ops and maps.
    let seeds: [UInt64]
    let groups: [MetricGroup]
    /// `variants` without the real-kernel columns (`RunResult.kernel` set): the ones that must
    /// share one request stream per seed.
    let simulatedVariants: [String]
    private let runsByKey: [RunKey: RunResult]

    private struct RunKey: Hashable { let variant: String; let seed: UInt64 }

    init(_ input: ReportInput) {
        let runs = input.document.runs
        var byKey: [RunKey: RunResult] = [:]
        for run in runs where byKey[RunKey(variant: run.variant, seed: run.seed)] == nil {
            byKey[RunKey(variant: run.variant, seed: run.seed)] = run
        }
        runsByKey = byKey
        let ids = Set(runs.map(\.variant))
        let base = input.document.baseline.flatMap { ids.contains($0) ? $0 : nil }
            ?? input.variantOrder.first(where: ids.contains)
            ?? ids.sorted().first ?? ""
        var order = [base]
        for id in input.variantOrder where ids.contains(id) && !order.contains(id) { order.append(id) }
        for id in ids.sorted() where !order.contains(id) { order.append(id) }
        variants = base.isEmpty ? [] : order
        baseline = base
        let kernels = Set(runs.filter { $0.kernel != nil }.map(\.variant))
        simulatedVariants = variants.filter { !kernels.contains($0) }
        let runSeeds = Set(runs.map(\.seed))
        var seedOrder: [UInt64] = []
        for s in input.seeds where runSeeds.contains(s) && !seedOrder.contains(s) { seedOrder.append(s) }
        for s in runSeeds.sorted() where !seedOrder.contains(s) { seedOrder.append(s) }
        seeds = seedOrder
        groups = Self.groups(variants: variants, seeds: seedOrder, runs: byKey)
    }

    /// The run of `variant` for `seed`, if it exists.
    func run(_ variant: String, _ seed: UInt64) -> RunResult? {
        runsByKey[RunKey(variant: variant, seed: seed)]
    }

    /// The run of `variant` for the representative (first) seed.
    func firstRun(_ variant: String) -> RunResult? {
        seeds.first.flatMap { run(variant, $0) }
    }

    /// All runs of `variant`, in seed order.
    func runs(of variant: String) -> [RunResult] {
        seeds.compactMap { run(variant, $0) }
    }

    var hasSpread: Bool { seeds.count >= 2 }

    private static func groups(variants: [String], seeds: [UInt64],
                               runs: [RunKey: RunResult]) -> [MetricGroup] {
        var present = Set<String>()
        for run in runs.values { present.formUnion(run.metrics.keys) }
        var infos = MetricCatalog.all.filter { present.contains($0.name) }
        let known = Set(MetricCatalog.names)
        for name in present.subtracting(known).sorted() {
            infos.append(MetricInfo(name, MetricGroup.otherName, .neutral, "not in the metric catalog"))
        }
        var groupOrder: [String] = []
        for info in MetricCatalog.all where !groupOrder.contains(info.group) {
            groupOrder.append(info.group)
        }
        groupOrder.append(MetricGroup.otherName)
        return groupOrder.compactMap { group in
            let rows = infos.filter { $0.group == group }.map { info in
                MetricRow(info: info, samples: variants.map { variant in
                    seeds.compactMap { seed in
                        runs[RunKey(variant: variant, seed: seed)]?.metrics[info.name].map(Double.init)
                    }
                })
            }
            return rows.isEmpty ? nil : MetricGroup(name: group, rows: rows)
        }
    }
}

/// The metrics of one `MetricCatalog` group, in catalog order.
struct MetricGroup: Sendable {
    /// Group of metrics found in results but missing from the catalog (newer records).
    static let otherName = "other"
    let name: String
    let rows: [MetricRow]

    /// Rows where at least one variant differs from another.
    var differing: [MetricRow] { rows.filter { !$0.identical } }
    /// Rows where every variant has the same value on every seed.
    var identical: [MetricRow] { rows.filter(\.identical) }
}

/// One metric across variants: per-variant samples (seed order), summaries and the Welch outcome
/// of each non-baseline column against the baseline (column 0).
struct MetricRow: Sendable {
    let info: MetricInfo
    /// `samples[i]` are the values of variant `i` over the seeds it has; empty when it has none.
    let samples: [[Double]]
    let summaries: [SampleSummary?]
    /// `outcomes[i]` compares column `i` with column 0; nil for column 0 or a missing column.
    let outcomes: [WelchOutcome?]
    /// Every variant has the same samples (same seeds, same values): nothing to compare.
    let identical: Bool

    init(info: MetricInfo, samples: [[Double]]) {
        self.info = info
        self.samples = samples
        summaries = samples.map { SampleSummary($0) }
        let base = samples.first ?? []
        outcomes = samples.indices.map { i in
            i == 0 || base.isEmpty || samples[i].isEmpty ? nil : welchOutcome(a: samples[i], b: base)
        }
        identical = !base.isEmpty && samples.allSatisfy { $0 == base }
    }

    /// Whether column `i` differs from the baseline beyond seed noise (see
    /// `WelchOutcome.isSignificant`: an exact difference with no variance counts).
    func significant(_ i: Int) -> Bool { outcomes[i]?.isSignificant ?? false }
}
