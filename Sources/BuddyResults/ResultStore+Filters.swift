/// Selecting records: by commit, experiment and variant, and which ones may serve as a baseline.
extension StoredRecord {
    /// The record was produced from a tree with uncommitted changes to tracked files.
    public var isDirty: Bool { revision?.dirty ?? false }

    /// May stand for its commit in `history`, `compare` and as a baseline: produced from a clean
    /// tree, or from a dirty one with `--allow-dirty` given. A record without a revision (outside
    /// git, no commit yet) cannot stand for any commit and is never eligible.
    public var isBaselineEligible: Bool {
        guard let revision else { return false }
        return !revision.dirty || allowDirty
    }

    /// True when the record's commit is `commit`: the full 40-hex id, or any prefix of it (at
    /// least 4 characters, as git requires of abbreviations).
    public func matches(commit: String) -> Bool {
        guard let id = revision?.commit, commit.count >= 4 else { return false }
        return commit.count >= id.count ? id == commit : id.hasPrefix(commit.lowercased())
    }
}

extension Sequence where Element == StoredRecord {
    /// Records of the commit `id` (full id or an unambiguous prefix, see `StoredRecord.matches(commit:)`).
    public func matching(commit id: String) -> [StoredRecord] { filter { $0.matches(commit: id) } }

    /// Records of the experiment called `name`.
    public func matching(experiment name: String) -> [StoredRecord] { filter { $0.experiment.name == name } }

    /// Records of the variant `id`.
    public func matching(variant id: String) -> [StoredRecord] { filter { $0.run.variant == id } }

    /// Records that may stand for their commit (see `StoredRecord.isBaselineEligible`).
    public func baselineEligible() -> [StoredRecord] { filter(\.isBaselineEligible) }

    /// The distinct commit ids present, sorted.
    public func commitIds() -> [String] {
        Array(Set(compactMap { $0.revision?.commit })).sorted()
    }
}
