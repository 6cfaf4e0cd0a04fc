/// The on-disk store of run records: one JSON file per (experiment sha, variant, seed, revision).
///
/// Layout (the root defaults to `results/` at the repository root, see ``init(repositoryRoot:)``):
/// ```
/// results/
/// └── neighbour-unmovable/                   experiment name
///     └── 3f2a9c1b7d4e/                      experiment file SHA-256, first 12 hex
///         ├── 88dc27e4bdae/                  commit, first 12 hex (clean tree)
///         │   ├── linux-5.18/                variant id
///         │   │   ├── seed-1.json
///         │   │   ├── seed-1.1.json          same key, different content (a rerun): sequence 1
///         │   │   └── seed-2.json
///         │   └── linux-5.19/
///         │       └── seed-1.json
///         │   └── zi-yan-v11/point-3/seed-1.json   a run of sweep point 3 (`sweep:` files)
///         ├── 88dc27e4bdae-dirty-5be0c1d2/   same commit, dirty tree: diff SHA-256, first 8 hex
///         └── norev/                         no revision (outside git, or no commit yet)
/// ```
/// Why this shape: the experiment's content hash separates results of different versions of the
/// same experiment file; the revision directory keeps every commit's results apart, so `history`
/// and `compare` read a commit by listing one directory per experiment version; a dirty tree gets
/// its own directory per diff, so an edit-run-edit-run session never mixes two different trees.
/// The 12-hex commit prefix is taken from the full id, not from `git_object_short_id`, so a path
/// never changes when a repository grows and libgit2 would abbreviate differently.
///
/// Records are never overwritten or deleted (see `ResultStore+Write.swift`), reading never fails
/// on a bad file (see `ResultStore+Read.swift`). The store is a value: two stores on one root may
/// be used from different tasks and processes at once.
public struct ResultStore: Sendable, Equatable {
    /// Directory holding the experiment directories.
    public let root: String

    /// A store at `root` (created on the first write).
    public init(root: String) {
        var root = root.isEmpty ? "." : root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// The default store, `<repositoryRoot>/results`.
    public init(repositoryRoot: String) {
        self.init(root: Self.defaultRoot(repositoryRoot: repositoryRoot))
    }

    /// `<repositoryRoot>/results`: results live next to the code that produced them (and are
    /// ignored by git, see `.gitignore`).
    public static func defaultRoot(repositoryRoot: String) -> String {
        repositoryRoot.hasSuffix("/") ? repositoryRoot + "results" : repositoryRoot + "/results"
    }

    /// Directory of `record`, relative to ``root`` (`name/sha12/revision/variant`, and
    /// `/point-<index>` below the variant for a run of a `sweep:` point).
    public static func relativeDirectory(for record: StoredRecord) -> String {
        var components = [
            pathComponent(record.experiment.name),
            pathComponent(String(record.experiment.sha256.prefix(12))),
            revisionComponent(record.revision),
            pathComponent(record.run.variant),
        ]
        if let point = record.run.point { components.append("point-\(point.index)") }
        return components.joined(separator: "/")
    }

    /// Absolute (or root-relative, when ``root`` is relative) directory of `record`.
    public func directory(for record: StoredRecord) -> String {
        root + "/" + Self.relativeDirectory(for: record)
    }

    /// `seed-<seed>.json` for sequence 0, `seed-<seed>.<sequence>.json` after.
    public static func fileName(seed: UInt64, sequence: Int) -> String {
        sequence == 0 ? "seed-\(seed).json" : "seed-\(seed).\(sequence).json"
    }

    /// Parses a record file name back into (seed, sequence); nil for anything else.
    public static func parseFileName(_ name: String) -> (seed: UInt64, sequence: Int)? {
        guard name.hasPrefix("seed-"), name.hasSuffix(".json") else { return nil }
        let middle = name.dropFirst("seed-".count).dropLast(".json".count)
        let parts = middle.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let seed = UInt64(parts[0]) else { return nil }
        if parts.count == 1 { return (seed, 0) }
        guard let sequence = Int(parts[1]), sequence > 0 else { return nil }
        return (seed, sequence)
    }

    /// `<commit 12>`, `<commit 12>-dirty-<diff 8>` (or `-dirty` without a diff hash), or `norev`.
    static func revisionComponent(_ revision: RevisionInfo?) -> String {
        guard let revision else { return "norev" }
        var component = pathComponent(String(revision.commit.prefix(12)))
        if revision.dirty {
            component += "-dirty"
            if let diff = revision.dirtyDiffSHA256 { component += "-" + pathComponent(String(diff.prefix(8))) }
        }
        return component
    }

    /// A name made safe as one path component: characters outside `[A-Za-z0-9._-]` become `_`,
    /// and names that are empty or start with a dot get a leading `_` (no `..`, no hidden files).
    static func pathComponent(_ name: String) -> String {
        let safe = String(name.map { character -> Character in
            let allowed = character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
            return allowed ? character : "_"
        })
        return safe.isEmpty || safe.hasPrefix(".") ? "_" + safe : safe
    }
}
