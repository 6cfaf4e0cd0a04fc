import BuddyResults

/// Which stored records `buddylab report` renders: those of one revision state (commit, clean or
/// one dirty diff) and one version of the experiment file.
///
/// Records of several states must never be mixed into one report: a clean run and a dirty run of
/// the same commit, or two edits of an uncommitted experiment file, would otherwise land in one
/// table as if they were seeds of one tree. `stored_at` alone cannot pick the newest either: it
/// has one-second resolution, and runs at two commits often finish within the same second.
struct ReportSelection {
    struct Key: Hashable {
        let commit: String?
        let dirty: Bool
        let diff: String?
        let experimentSHA: String

        init(_ record: StoredRecord) {
            commit = record.revision?.commit
            dirty = record.revision?.dirty ?? false
            diff = record.revision?.dirtyDiffSHA256
            experimentSHA = record.experiment.sha256
        }
    }

    let groups: [Key: [StoredRecord]]

    init(_ records: [StoredRecord]) {
        groups = Dictionary(grouping: records, by: Key.init)
    }

    /// The records of `commit` (a full id): the clean run if there is one, else the newest dirty
    /// one.
    func records(commit: String) -> [StoredRecord] {
        best(groups.keys.filter { $0.commit == commit })
    }

    /// Without `--commit`: the records of the work tree's current state (`current`, including its
    /// dirty diff), else of the nearest commit along `history` (first-parent, newest first) that
    /// has any, else the newest stored.
    func defaultRecords(current: RevisionInfo?, history: [String]) -> [StoredRecord] {
        if let current {
            let here = groups.keys.filter {
                $0.commit == current.commit && $0.dirty == current.dirty && $0.diff == current.dirtyDiffSHA256
            }
            if !here.isEmpty { return best(here) }
        }
        for commit in history {
            let found = records(commit: commit)
            if !found.isEmpty { return found }
        }
        return best(Array(groups.keys))
    }

    /// Among `keys`: clean before dirty, then the newest `stored_at`, then (for determinism only)
    /// the experiment hash.
    private func best(_ keys: [Key]) -> [StoredRecord] {
        let newest = { (key: Key) in groups[key]?.map(\.storedAt).max() ?? "" }
        let chosen = keys.min { a, b in
            if a.dirty != b.dirty { return !a.dirty }
            let (na, nb) = (newest(a), newest(b))
            if na != nb { return na > nb }
            return a.experimentSHA < b.experimentSHA
        }
        return chosen.flatMap { groups[$0] } ?? []
    }
}
