// `buddylab compare REV_A REV_B`: metric deltas between two revisions and the regression verdict
// (pure data; the renderers format it, the CLI turns `hasRegression` into exit code 1).

/// One (experiment, variant, metric) compared between revision A (before) and B (after).
public struct ComparisonRow: Sendable, Equatable {
    public let experiment: String
    public let variant: String
    public let metric: String
    /// Means over the seeds both sides have (see `ResultStore.compare`).
    public let a: Double
    public let b: Double
    /// `b − a`.
    public let delta: Double
    /// `ResultStore.percentChange(from: a, to: b)`: ±100 when moving off zero.
    public let deltaPercent: Double
    /// From `MetricCatalog`; metrics it does not know are `.neutral`.
    public let polarity: Polarity
    /// How much worse B is than A in percent (0 when not worse); see `ResultStore.worsening`.
    public let worseningPercent: Double
    /// B is worse than A by more than the threshold.
    public let regression: Bool
    /// Number of seeds behind each mean.
    public let seeds: Int

    public init(experiment: String, variant: String, metric: String, a: Double, b: Double, delta: Double,
                deltaPercent: Double, polarity: Polarity, worseningPercent: Double, regression: Bool,
                seeds: Int) {
        self.experiment = experiment
        self.variant = variant
        self.metric = metric
        self.a = a
        self.b = b
        self.delta = delta
        self.deltaPercent = deltaPercent
        self.polarity = polarity
        self.worseningPercent = worseningPercent
        self.regression = regression
        self.seeds = seeds
    }
}

/// A (experiment, variant, metric) that only one side has, or a variant with no seed in common.
public struct ComparisonGap: Sendable, Equatable {
    public enum Side: String, Sendable { case onlyA, onlyB, noCommonSeeds }
    public let experiment: String
    public let variant: String
    /// nil when the whole variant is affected.
    public let metric: String?
    public let side: Side

    public init(experiment: String, variant: String, metric: String?, side: Side) {
        self.experiment = experiment
        self.variant = variant
        self.metric = metric
        self.side = side
    }
}

/// The result of comparing two sets of records.
public struct Comparison: Sendable, Equatable {
    public let thresholdPercent: Double
    /// Sorted by experiment, variant, metric.
    public let rows: [ComparisonRow]
    /// Sorted by experiment, variant, metric.
    public let gaps: [ComparisonGap]

    public init(thresholdPercent: Double, rows: [ComparisonRow], gaps: [ComparisonGap]) {
        self.thresholdPercent = thresholdPercent
        self.rows = rows
        self.gaps = gaps
    }

    public var regressions: [ComparisonRow] { rows.filter(\.regression) }
    public var hasRegression: Bool { rows.contains(where: \.regression) }
}

extension ResultStore {
    /// How much worse `b` is than `a` for a metric of `polarity`, in percent of `|a|`; 0 when not worse.
    ///
    /// - higherIsBetter: worse by `a − b`; lowerIsBetter: worse by `b − a`;
    /// - zeroIsBetter: worse by `|b| − |a|` (a drift that flips sign but keeps its size is not worse);
    /// - neutral: never worse.
    ///
    /// When `a` is 0 any worsening counts as 100% (there is no relative size to take), so a metric
    /// that should stay at 0 (`faults`, `nr_free_pages_drift`) regresses under any threshold
    /// below 100%.
    public static func worsening(_ polarity: Polarity, from a: Double, to b: Double) -> Double {
        let amount: Double
        switch polarity {
        case .higherIsBetter: amount = a - b
        case .lowerIsBetter: amount = b - a
        case .zeroIsBetter: amount = abs(b) - abs(a)
        case .neutral: amount = 0
        }
        guard amount > 0 else { return 0 }
        return a == 0 ? 100 : amount / abs(a) * 100
    }

    /// Compares the records of revision A (`before`) with those of revision B (`after`).
    ///
    /// Per (experiment, variant) only the seeds present on both sides are used: every seed is a
    /// different request stream, so means over different seed sets would compare workloads, not
    /// revisions. A row is a regression when `worsening(polarity, a, b) > thresholdPercent`.
    /// Callers select the records (by commit, and usually `baselineEligible()`).
    public static func compare(_ before: [StoredRecord], _ after: [StoredRecord],
                               thresholdPercent: Double) -> Comparison {
        let experiments = Set(before.map(\.experiment.name)).union(after.map(\.experiment.name)).sorted()
        var rows: [ComparisonRow] = []
        var gaps: [ComparisonGap] = []
        for experiment in experiments {
            let a = before.matching(experiment: experiment)
            let b = after.matching(experiment: experiment)
            let seedsA = seedsByVariant(a)
            let seedsB = seedsByVariant(b)
            var common: [String: Set<UInt64>] = [:]
            for variant in Set(seedsA.keys).union(seedsB.keys).sorted() {
                let shared = (seedsA[variant] ?? []).intersection(seedsB[variant] ?? [])
                if shared.isEmpty {
                    let side: ComparisonGap.Side = seedsA[variant] == nil ? .onlyB
                        : seedsB[variant] == nil ? .onlyA : .noCommonSeeds
                    gaps.append(ComparisonGap(experiment: experiment, variant: variant, metric: nil, side: side))
                } else {
                    common[variant] = shared
                }
            }
            let meansA = meansOverSeeds(a, seeds: common)
            let meansB = meansOverSeeds(b, seeds: common)
            for variant in common.keys.sorted() {
                let metricsA = meansA[variant] ?? [:]
                let metricsB = meansB[variant] ?? [:]
                for metric in Set(metricsA.keys).union(metricsB.keys).sorted() {
                    guard let valueA = metricsA[metric], let valueB = metricsB[metric] else {
                        gaps.append(ComparisonGap(experiment: experiment, variant: variant, metric: metric,
                                                  side: metricsA[metric] == nil ? .onlyB : .onlyA))
                        continue
                    }
                    let polarity = MetricCatalog.info(metric)?.polarity ?? .neutral
                    let worse = worsening(polarity, from: valueA, to: valueB)
                    rows.append(ComparisonRow(
                        experiment: experiment, variant: variant, metric: metric, a: valueA, b: valueB,
                        delta: valueB - valueA, deltaPercent: percentChange(from: valueA, to: valueB),
                        polarity: polarity, worseningPercent: worse, regression: worse > thresholdPercent,
                        seeds: common[variant]?.count ?? 0))
                }
            }
        }
        return Comparison(thresholdPercent: thresholdPercent, rows: rows, gaps: gaps)
    }

    /// ``compare(_:_:thresholdPercent:)`` over the stored, baseline-eligible records of two
    /// commits (full ids or prefixes), optionally of one experiment, plus the reading problems.
    public func compare(commit a: String, with b: String, experiment name: String? = nil,
                        thresholdPercent: Double) -> (comparison: Comparison, problems: [StoreProblem]) {
        let (records, problems) = records(experiment: name)
        let eligible = records.baselineEligible()
        return (Self.compare(eligible.matching(commit: a), eligible.matching(commit: b),
                             thresholdPercent: thresholdPercent), problems)
    }
}
