/// Reducing stored records to one number per (variant, metric): the shared step of `history` and
/// `compare`.
///
/// Within one seed, several records may exist (reruns kept under `seed-<n>.<k>.json`); they are
/// averaged first, so a rerun does not weigh one seed twice. The value for a variant is then the
/// mean over seeds. Simulated metrics are deterministic, so reruns normally agree exactly.
extension ResultStore {
    /// variant → metric → mean over seeds (each seed the mean of its reruns).
    ///
    /// - Parameter seeds: when given, variant → the seeds to use; other seeds are ignored.
    public static func meansOverSeeds(_ records: [StoredRecord],
                                      seeds: [String: Set<UInt64>]? = nil) -> [String: [String: Double]] {
        // variant → metric → seed → (sum, count)
        var sums: [String: [String: [UInt64: (Double, Int)]]] = [:]
        for record in records {
            let variant = record.run.aggregateKey
            if let seeds, !(seeds[variant]?.contains(record.run.seed) ?? false) { continue }
            for (metric, value) in record.run.metrics {
                let previous = sums[variant, default: [:]][metric, default: [:]][record.run.seed] ?? (0, 0)
                sums[variant, default: [:]][metric, default: [:]][record.run.seed] =
                    (previous.0 + Double(value), previous.1 + 1)
            }
        }
        return sums.mapValues { metrics in
            metrics.mapValues { perSeed in
                // Sum in seed order: floating-point addition is not associative, and Dictionary
                // order changes from process to process.
                let seedMeans = perSeed.sorted { $0.key < $1.key }.map { $0.value.0 / Double($0.value.1) }
                return seedMeans.reduce(0, +) / Double(seedMeans.count)
            }
        }
    }

    /// variant → the seeds that have records.
    public static func seedsByVariant(_ records: [StoredRecord]) -> [String: Set<UInt64>] {
        var seeds: [String: Set<UInt64>] = [:]
        for record in records { seeds[record.run.aggregateKey, default: []].insert(record.run.seed) }
        return seeds
    }

    /// Relative change from `a` to `b` in percent: `(b − a) / |a| · 100`.
    ///
    /// A change away from zero has no finite relative size; it is reported as ±100% (the sign of
    /// `b`), so any move off zero exceeds every threshold below 100%. No change is 0%.
    public static func percentChange(from a: Double, to b: Double) -> Double {
        if a == b { return 0 }
        if a == 0 { return b > 0 ? 100 : -100 }
        return (b - a) / abs(a) * 100
    }
}

extension RunResult {
    /// What `history` and `compare` aggregate over seeds: the variant, and for a sweep's run the
    /// point too (`linux-5.19 [fill=20% size=2MiB]`), so different points are never averaged
    /// together as if they were seeds.
    public var aggregateKey: String {
        point.map { variant + " [" + $0.label + "]" } ?? variant
    }
}
