import BuddyCore

/// A discrete distribution written as percentages (`mix:`, `orders:`), sampled with integers.
///
/// Weights are integer parts per million so that sampling never goes through floating point:
/// the request stream must be bit-identical on every machine and toolchain, and a
/// `Double` comparison at a bucket edge is exactly where two platforms could disagree.
public struct Distribution<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Values with a positive weight, in the order they were written.
    public let values: [Value]
    /// Weight of each value in parts per million.
    public let weights: [UInt64]
    /// Sum of `weights` (≈ 1 000 000; exact sums are not required after rounding).
    public let total: UInt64

    /// - Precondition: `values.count == weights.count`; callers drop zero weights and ensure
    ///   the total is positive (the decoder checks that percentages sum to 100%).
    public init(values: [Value], weights: [UInt64]) {
        self.values = values
        self.weights = weights
        self.total = weights.reduce(0, +)
    }

    /// A distribution that always yields `value`.
    public static func constant(_ value: Value) -> Distribution {
        Distribution(values: [value], weights: [1_000_000])
    }

    /// Draws one value. Consumes exactly one RNG output, whatever the distribution, so that
    /// editing one mix does not shift the random stream of unrelated decisions.
    func sample(_ rng: inout SplitMix64) -> Value {
        var r = rng.below(total)
        for (value, weight) in zip(values, weights) {
            if r < weight { return value }
            r -= weight
        }
        return values[values.count - 1]
    }
}
