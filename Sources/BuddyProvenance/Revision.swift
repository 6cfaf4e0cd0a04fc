/// The revision of the working tree a result was produced from: the contract's `"revision"`
/// object, stored as is in every result record (BuddyResults calls it `RevisionInfo`).
public struct Revision: Codable, Sendable, Equatable, Hashable {
    /// Full 40-hex id of the HEAD commit (`git_commit_id`).
    public var commit: String
    /// The first 12 hex digits of the id.
    public var short: String
    /// Branch HEAD points at, or nil when HEAD is detached.
    public var branch: String?
    /// `git describe --tags --always --dirty` equivalent (short id plus `-dirty` in shallow clones).
    public var describe: String
    /// Tracked files differ from HEAD in the index or the work tree; untracked and ignored files do
    /// not count.
    public var dirty: Bool
    /// Lowercase hex SHA-256 of the HEAD-tree → work-tree-with-index patch when dirty, else nil.
    public var dirtyDiffSHA256: String?
    /// Committer time of HEAD, ISO-8601 with the committer's offset (`2024-03-01T12:00:00+01:00`).
    public var commitTime: String
    /// First paragraph of the commit message (`git_commit_summary`), nil when libgit2 finds none.
    public var summary: String?

    public init(commit: String, short: String, branch: String?, describe: String, dirty: Bool,
                dirtyDiffSHA256: String?, commitTime: String, summary: String?) {
        self.commit = commit
        self.short = short
        self.branch = branch
        self.describe = describe
        self.dirty = dirty
        self.dirtyDiffSHA256 = dirtyDiffSHA256
        self.commitTime = commitTime
        self.summary = summary
    }

    /// The contract's snake_case field names.
    enum CodingKeys: String, CodingKey {
        case commit, short, branch, describe, dirty, summary
        case dirtyDiffSHA256 = "dirty_diff_sha256"
        case commitTime = "commit_time"
    }

    /// Every field is always written: an absent branch (detached HEAD), diff hash (clean tree)
    /// or summary is `null`, as the contract shows (`"dirty_diff_sha256": null`), not left out
    /// (the synthesised encoder would drop it).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(commit, forKey: .commit)
        try c.encode(short, forKey: .short)
        try c.encode(branch, forKey: .branch)
        try c.encode(describe, forKey: .describe)
        try c.encode(dirty, forKey: .dirty)
        try c.encode(dirtyDiffSHA256, forKey: .dirtyDiffSHA256)
        try c.encode(commitTime, forKey: .commitTime)
        try c.encode(summary, forKey: .summary)
    }
}

/// One commit as `history` and `compare` show it.
public struct CommitInfo: Sendable, Equatable, Hashable {
    /// Full 40-hex commit id.
    public var id: String
    /// The first 12 hex digits of the id.
    public var short: String
    /// `git_commit_summary`; empty when the message has none.
    public var summary: String
    /// Committer time, ISO-8601 with the committer's offset.
    public var time: String
    /// Committer time in seconds since the epoch (`git_commit_time`).
    public var epochSeconds: Int64

    public init(id: String, short: String, summary: String, time: String, epochSeconds: Int64) {
        self.id = id
        self.short = short
        self.summary = summary
        self.time = time
        self.epochSeconds = epochSeconds
    }
}
