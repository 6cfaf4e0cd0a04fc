/// A metric along first-parent history, as `buddylab history` collects it from the result store.
///
/// Produced elsewhere (the store and the history walk, see `init(name:table:…)`); the renderer
/// only formats it, so the "moved beyond the threshold" decision arrives precomputed in
/// `Row.firstMove`. Nested type names keep BuddyResults' own `HistoryRow` unambiguous for code
/// that imports both modules.
public struct HistoryInput: Sendable, Equatable {
    /// Experiment name.
    public var name: String
    /// `--metric`, when given: only that metric is rendered.
    public var metric: String?
    /// `--variant`, when given: only that variant is rendered.
    public var variant: String?
    /// Relative threshold in percent used to compute `firstMove`, shown in the legend.
    public var threshold: Double?
    /// Commits, newest first.
    public var rows: [Row]

    public init(name: String, metric: String? = nil, variant: String? = nil,
                threshold: Double? = nil, rows: [Row]) {
        self.name = name; self.metric = metric; self.variant = variant
        self.threshold = threshold; self.rows = rows
    }

    /// One commit of the history.
    public struct Row: Sendable, Equatable {
        /// Abbreviated commit id.
        public var short: String
        /// First line of the commit message.
        public var summary: String
        /// Whether the store has results for this commit (commits without are shown with `–`).
        public var hasResults: Bool
        /// variant → metric → value (mean over the stored seeds).
        public var values: [String: [String: Double]]
        /// (variant, metric) pairs for which this commit is the first where the metric moved
        /// beyond the threshold, walking from oldest to newest.
        public var firstMove: [Key]

        public init(short: String, summary: String, hasResults: Bool,
                    values: [String: [String: Double]], firstMove: [Key] = []) {
            self.short = short; self.summary = summary; self.hasResults = hasResults
            self.values = values; self.firstMove = firstMove
        }
    }

    /// A (variant, metric) coordinate in a history table.
    public struct Key: Sendable, Hashable {
        public var variant: String
        public var metric: String
        public init(variant: String, metric: String) { self.variant = variant; self.metric = metric }
    }
}
