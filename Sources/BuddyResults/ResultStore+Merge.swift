import Foundation

/// Merging stores (`buddylab merge STORE... --into DIR`): the union of their records.
///
/// A record is identified by its store location — experiment, file hash, revision state,
/// variant, sweep point — and seed. Records are immutable facts about one deterministic run, so
/// two records with the same identity must agree on everything but the wall-clock fields
/// (`run.timing`, `stored_at`): such duplicates (the same task run twice, a rerun kept as
/// `seed-<n>.<k>.json`, a store merged twice) collapse into one. Two that disagree are a
/// conflict: one of them did not come from the revision it claims, and merging must not pick one.
extension ResultStore {
    /// One identity claimed by two records that differ beyond timing.
    public struct MergeConflict: Sendable, Equatable, CustomStringConvertible {
        /// `name/sha12/revision/variant[/point-N]/seed-S`.
        public var record: String
        /// The stores (roots) the two disagreeing records came from (equal for a conflict inside one store).
        public var first: String
        public var second: String
        public init(record: String, first: String, second: String) {
            self.record = record; self.first = first; self.second = second
        }

        public var description: String {
            "\(record): \(first) and \(second) hold different results (not just timing) for the same run"
        }
    }

    /// What merging `sources` into `target` would do; nothing is written.
    public struct MergePlan: Sendable {
        /// New records for the target, in source order (first store first, then file order).
        public var toWrite: [StoredRecord]
        /// Records equal (apart from timing) to one already in the target or met earlier.
        public var duplicates: Int
        public var conflicts: [MergeConflict]
        /// Unreadable or stray files met in any store (warnings: never fatal, never lose the rest).
        public var problems: [StoreProblem]
    }

    /// `name/sha12/revision/variant[/point-N]/seed-S`: a record's identity in every store.
    public static func identity(of record: StoredRecord) -> String {
        relativeDirectory(for: record) + "/seed-\(record.run.seed)"
    }

    /// The record without its wall-clock fields: what two duplicates must agree on.
    static func timeless(_ record: StoredRecord) -> StoredRecord {
        var r = record
        r.run.timing = nil
        r.storedAt = ""
        return r
    }

    /// Plans the merge of `sources` into `target` (whose records count as already present).
    public static func planMerge(sources: [ResultStore], into target: ResultStore) -> MergePlan {
        var seen: [String: (record: StoredRecord, origin: String)] = [:]
        var problems: [StoreProblem] = []
        var conflicts: [MergeConflict] = []
        var toWrite: [StoredRecord] = []
        var duplicates = 0
        func take(_ store: ResultStore, isTarget: Bool) {
            let (records, found) = store.records()
            problems += found
            for record in records {
                let id = identity(of: record)
                let plain = timeless(record)
                if let earlier = seen[id] {
                    if earlier.record == plain {
                        if !isTarget { duplicates += 1 }
                    } else if !conflicts.contains(where: { $0.record == id }) {
                        conflicts.append(MergeConflict(record: id, first: earlier.origin, second: store.root))
                    }
                    continue
                }
                seen[id] = (plain, store.root)
                if !isTarget { toWrite.append(record) }
            }
        }
        take(target, isTarget: true)
        for source in sources { take(source, isTarget: false) }
        return MergePlan(toWrite: toWrite, duplicates: duplicates, conflicts: conflicts, problems: problems)
    }
}
