/// Whether a metric is a deterministic result or a distribution over seeds.
///
/// The simulator is deterministic per (experiment, variant, seed), so a metric on which each variant
/// reports one value on every seed is *exact*: one number per variant, no error bar, nothing for
/// a t-test to say (a difference between variants is then exact too). A metric that moves with the seed is a sample of a distribution; its mean needs the
/// spread (Stddev, CoeffVar, a confidence interval) beside it.
enum SeedSpread {
    /// Each variant got one value on every seed: a deterministic result, no distribution.
    case exact
    /// Some variant's value varies with the seed: the rows summarise a distribution.
    case distribution
    /// Fewer than two seeds: no way to tell.
    case unknown

    init(_ row: MetricRow) {
        let present = row.samples.filter { !$0.isEmpty }
        if present.contains(where: { $0.count < 2 }) || present.isEmpty { self = .unknown; return }
        self = present.allSatisfy { s in s.allSatisfy { $0 == s[0] } } ? .exact : .distribution
    }
}
