import BuddyResults

/// Metric deltas between two revisions, as `buddylab compare` computes them.
///
/// The comparison (which rows regress) is computed elsewhere and arrives as data, as in
/// package-benchmark's `deviationsComparedWith` (see `init(name:revA:revB:comparison:)`); the
/// renderer only orders and formats it. Nested type names keep BuddyResults' own comparison
/// types unambiguous for code that imports both modules.
public struct CompareInput: Sendable, Equatable {
    /// Experiment name, when the comparison is restricted to one.
    public var name: String?
    /// The older / reference revision.
    public var revA: Revision
    /// The newer / candidate revision.
    public var revB: Revision
    /// `--threshold`, in percent.
    public var threshold: Double
    public var rows: [Row]
    /// Free-text lines shown under the verdict, e.g. what only one side has results for.
    public var notes: [String]

    public init(name: String? = nil, revA: Revision, revB: Revision, threshold: Double,
                rows: [Row], notes: [String] = []) {
        self.name = name; self.revA = revA; self.revB = revB
        self.threshold = threshold; self.rows = rows; self.notes = notes
    }

    /// A revision as the compare header shows it.
    public struct Revision: Sendable, Equatable {
        public var short: String
        /// `git describe` output.
        public var describe: String
        public init(short: String, describe: String) { self.short = short; self.describe = describe }
    }

    /// One (experiment, variant, metric) compared between the two revisions.
    public struct Row: Sendable, Equatable {
        /// The experiment, when the comparison spans several (an `experiment` column appears
        /// when rows name more than one).
        public var experiment: String?
        public var variant: String
        public var metric: String
        /// Value at revision A (mean over seeds).
        public var a: Double
        /// Value at revision B.
        public var b: Double
        /// `b − a`.
        public var delta: Double
        /// Relative change in percent; nil when undefined (a is 0), shown as `–`.
        public var deltaPercent: Double?
        public var polarity: Polarity
        /// The change goes the wrong way by more than the threshold.
        public var regression: Bool

        public init(experiment: String? = nil, variant: String, metric: String, a: Double,
                    b: Double, delta: Double, deltaPercent: Double?, polarity: Polarity,
                    regression: Bool) {
            self.experiment = experiment; self.variant = variant; self.metric = metric
            self.a = a; self.b = b; self.delta = delta; self.deltaPercent = deltaPercent
            self.polarity = polarity; self.regression = regression
        }
    }
}
