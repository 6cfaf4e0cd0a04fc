/// One `expect:` entry: a claim about every seed of one variant (or of every selected variant).
public struct Expectation: Sendable, Equatable {
    /// A bound on a metric.
    public enum Comparison: Sendable, Equatable {
        case equals(Int)
        case notEquals(Int)
        case min(Int)
        case max(Int)
        /// Extension: the metric is strictly less than the same metric of another variant, seed by seed.
        case lessThanVariant(String)
        /// Extension: strictly greater than another variant's, seed by seed.
        case greaterThanVariant(String)
        /// Extension: equal to another variant's, seed by seed.
        case equalsVariant(String)

        /// The YAML key, as shown in messages.
        /// The variant a cross-variant comparison names, nil for a fixed bound.
        public var peer: String? {
            switch self {
            case .lessThanVariant(let v), .greaterThanVariant(let v), .equalsVariant(let v): v
            default: nil
            }
        }

        public var key: String {
            switch self {
            case .equals: "equals"
            case .notEquals: "not_equals"
            case .min: "min"
            case .max: "max"
            case .lessThanVariant: "less_than_variant"
            case .greaterThanVariant: "greater_than_variant"
            case .equalsVariant: "equals_variant"
            }
        }

        /// `equals 0`, `min 3`, `less_than_variant linux-5.18`.
        public var text: String {
            switch self {
            case .equals(let n), .notEquals(let n), .min(let n), .max(let n): "\(key) \(n)"
            case .lessThanVariant(let v), .greaterThanVariant(let v), .equalsVariant(let v): "\(key) \(v)"
            }
        }
    }

    public enum Check: Sendable, Equatable {
        /// `{ metric: M, equals|not_equals|min|max|…: N }`; several comparisons must all hold.
        case metric(String, [Comparison])
        /// `{ op: I, result: R }`.
        case op(index: Int, result: String)
    }

    /// A variant id, or nil for `variant: all`.
    public var variant: String?
    public var check: Check
    /// Line of the entry in the experiment file.
    public var line: Int

    public init(variant: String?, check: Check, line: Int) {
        self.variant = variant; self.check = check; self.line = line
    }

    /// The expectation as a reader would say it: `linux-5.18: contig_successes equals 0`,
    /// `all: invariant_violations equals 0`, `linux-5.19: op 6 is ok`.
    public var text: String {
        let who = variant ?? "all"
        switch check {
        case .metric(let name, let comparisons):
            return "\(who): \(name) " + comparisons.map(\.text).joined(separator: ", ")
        case .op(let index, let result):
            return "\(who): op \(index) is \(result)"
        }
    }
}
