// `buddylab history NAME`: one metric row per commit along first-parent history (pure data; the
// renderers format it).

/// A commit as history needs it. BuddyProvenance's `CommitInfo` maps onto it; BuddyResults stays
/// free of libgit2.
public struct CommitRef: Sendable, Equatable, Hashable {
    public let id: String
    public let short: String
    public let summary: String

    public init(id: String, short: String, summary: String) {
        self.id = id
        self.short = short
        self.summary = summary
    }
}

/// A (variant, metric) pair; sorts by variant, then metric.
public struct MetricKey: Sendable, Hashable, Comparable {
    public let variant: String
    public let metric: String

    public init(variant: String, metric: String) {
        self.variant = variant
        self.metric = metric
    }

    public static func < (a: MetricKey, b: MetricKey) -> Bool {
        (a.variant, a.metric) < (b.variant, b.metric)
    }
}

/// The first commit (scanning oldest to newest) where a metric moved by more than the threshold
/// relative to the previous commit that had a value for it.
public struct MetricMove: Sendable, Equatable {
    public let key: MetricKey
    public let commit: CommitRef
    public let previousCommit: CommitRef
    public let from: Double
    public let to: Double
    /// `ResultStore.percentChange(from:to:)`: ±100 when moving off zero.
    public let percent: Double

    public init(key: MetricKey, commit: CommitRef, previousCommit: CommitRef, from: Double, to: Double,
                percent: Double) {
        self.key = key
        self.commit = commit
        self.previousCommit = previousCommit
        self.from = from
        self.to = to
        self.percent = percent
    }
}

/// One commit of the history table.
public struct HistoryRow: Sendable, Equatable {
    public let commit: CommitRef
    /// variant → metric → mean over seeds; empty when the commit has no (eligible) results.
    public let values: [String: [String: Double]]
    /// variant → seeds behind the means, ascending.
    public let seeds: [String: [UInt64]]
    /// False for commits without results: they stay in the table (as gaps), never silently dropped.
    public let hasResults: Bool
    /// Metrics whose first move (see `MetricMove`) happened at this commit, sorted.
    public let firstMoves: [MetricKey]

    public init(commit: CommitRef, values: [String: [String: Double]], seeds: [String: [UInt64]],
                hasResults: Bool, firstMoves: [MetricKey]) {
        self.commit = commit
        self.values = values
        self.seeds = seeds
        self.hasResults = hasResults
        self.firstMoves = firstMoves
    }

    public var id: String { commit.id }
    public var short: String { commit.short }
    public var summary: String { commit.summary }

    /// The mean of `metric` for `variant` at this commit, if recorded.
    public func value(variant: String, metric: String) -> Double? { values[variant]?[metric] }
}

/// One (variant, metric) along the history, newest first: what `history --metric M --variant V` plots.
public struct MetricSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public let commit: CommitRef
        public let value: Double?

        public init(commit: CommitRef, value: Double?) {
            self.commit = commit
            self.value = value
        }
    }

    public let key: MetricKey
    public let points: [Point]
    /// Where the metric first moved beyond the threshold, if anywhere.
    public let firstMove: MetricMove?

    public init(key: MetricKey, points: [Point], firstMove: MetricMove?) {
        self.key = key
        self.points = points
        self.firstMove = firstMove
    }
}

/// The whole history: rows in the order of the commits given (newest first, as `git log`).
public struct HistoryTable: Sendable, Equatable {
    public let rows: [HistoryRow]
    /// One entry per (variant, metric) that moved, sorted by key.
    public let moves: [MetricMove]
    public let thresholdPercent: Double

    public init(rows: [HistoryRow], moves: [MetricMove], thresholdPercent: Double) {
        self.rows = rows
        self.moves = moves
        self.thresholdPercent = thresholdPercent
    }

    /// Every (variant, metric) with at least one value, sorted.
    public var keys: [MetricKey] {
        var keys = Set<MetricKey>()
        for row in rows {
            for (variant, metrics) in row.values {
                for metric in metrics.keys { keys.insert(MetricKey(variant: variant, metric: metric)) }
            }
        }
        return keys.sorted()
    }

    /// The column of one (variant, metric).
    public func series(variant: String, metric: String) -> MetricSeries {
        let key = MetricKey(variant: variant, metric: metric)
        let points = rows.map { row in
            MetricSeries.Point(commit: row.commit, value: row.value(variant: variant, metric: metric))
        }
        return MetricSeries(key: key, points: points, firstMove: moves.first { $0.key == key })
    }
}

extension ResultStore {
    /// Builds the history table of one experiment's records along `commits` (newest first).
    ///
    /// Only records that may stand for their commit are used (`isBaselineEligible`: clean, or
    /// dirty with `--allow-dirty`) unless `eligibleOnly` is false. Moves are found per (variant,
    /// metric) by scanning oldest → newest and comparing each value with the value at the previous
    /// commit that had one; the first change whose `|percentChange| > thresholdPercent` is flagged.
    public static func history(commits: [CommitRef], records: [StoredRecord], thresholdPercent: Double,
                               eligibleOnly: Bool = true) -> HistoryTable {
        let usable = eligibleOnly ? records.baselineEligible() : records
        var byCommit: [String: [StoredRecord]] = [:]
        for record in usable {
            if let id = record.revision?.commit { byCommit[id, default: []].append(record) }
        }
        let perCommit = commits.map { commit in
            let recs = byCommit[commit.id] ?? []
            return (commit: commit, values: meansOverSeeds(recs),
                    seeds: seedsByVariant(recs).mapValues { $0.sorted() }, hasResults: !recs.isEmpty)
        }

        var moves: [MetricMove] = []
        var last: [MetricKey: (CommitRef, Double)] = [:]
        var moved = Set<MetricKey>()
        for entry in perCommit.reversed() {
            let keys = entry.values.flatMap { variant, metrics in
                metrics.map { MetricKey(variant: variant, metric: $0.key) }
            }.sorted()
            for key in keys {
                guard let value = entry.values[key.variant]?[key.metric] else { continue }
                if let (previousCommit, previous) = last[key], !moved.contains(key) {
                    let percent = percentChange(from: previous, to: value)
                    if abs(percent) > thresholdPercent {
                        moved.insert(key)
                        moves.append(MetricMove(key: key, commit: entry.commit, previousCommit: previousCommit,
                                                from: previous, to: value, percent: percent))
                    }
                }
                last[key] = (entry.commit, value)
            }
        }
        moves.sort { $0.key < $1.key }

        let rows = perCommit.map { entry in
            HistoryRow(commit: entry.commit, values: entry.values, seeds: entry.seeds,
                       hasResults: entry.hasResults,
                       firstMoves: moves.filter { $0.commit.id == entry.commit.id }.map(\.key))
        }
        return HistoryTable(rows: rows, moves: moves, thresholdPercent: thresholdPercent)
    }

    /// ``history(commits:records:thresholdPercent:eligibleOnly:)`` over the stored records of the
    /// experiment `name`, plus the problems met while reading them.
    public func history(experiment name: String, commits: [CommitRef], thresholdPercent: Double,
                        eligibleOnly: Bool = true) -> (table: HistoryTable, problems: [StoreProblem]) {
        let (records, problems) = records(experiment: name)
        return (Self.history(commits: commits, records: records, thresholdPercent: thresholdPercent,
                             eligibleOnly: eligibleOnly), problems)
    }
}
