import BuddyVariants

/// A command-line override of `variants:` or `seeds:` that cannot be applied.
public struct ExperimentSelectionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The flag, e.g. `--variants`.
    public var flag: String
    public var message: String
    public var description: String { "\(flag): \(message)" }
}

extension Experiment {
    /// The experiment with `--variants` / `--seeds` applied.
    ///
    /// Variants are checked against the registry, then intersected with the file's selection
    /// (contract: `run --variants A,B` intersects with the experiment's `variants:`; to run
    /// another variant, edit the file's list). The baseline is kept when still
    /// selected, else chosen as `baseline:` would default. Expectations about variants that no
    /// longer run are reported as skipped by `Expectations.evaluate`.
    /// - Parameters:
    ///   - variants: ids, in any order; nil keeps the file's selection.
    ///   - seedCount: N → seeds 1...N; nil keeps the file's seeds.
    public func selecting(variants ids: [String]?, seedCount: Int?) throws(ExperimentSelectionError) -> Experiment {
        var copy = self
        if let ids {
            guard !ids.isEmpty else { throw ExperimentSelectionError(flag: "--variants", message: "no variant given") }
            for id in ids where Variants.named(id) == nil {
                throw ExperimentSelectionError(
                    flag: "--variants", message: "unknown variant '\(id)' (valid: \(Variants.ids.joined(separator: ", ")))")
            }
            // The contract: `run --variants A,B` intersects with the experiment's own `variants:`
            // (in the experiment's order); an empty intersection is bad input.
            copy.variants = variants.filter(ids.contains)
            guard !copy.variants.isEmpty else {
                throw ExperimentSelectionError(
                    flag: "--variants",
                    message: "none of \(ids.joined(separator: ", ")) is among the experiment's variants (\(variants.joined(separator: ", ")))")
            }
            if !copy.variants.contains(baseline) {
                copy.baseline = Experiment.defaultBaseline(selected: copy.variants, written: ids)
            }
        }
        if let seedCount {
            guard (1...Experiment.maxSeeds).contains(seedCount) else {
                throw ExperimentSelectionError(flag: "--seeds", message: "must be between 1 and \(Experiment.maxSeeds)")
            }
            copy.seeds = (1...seedCount).map { UInt64($0) }
        }
        return copy
    }
}
