import CGit2

extension GitRepository {
    /// Resolves a revspec to the commit it names.
    ///
    /// `git_revparse_single` understands everything `git rev-parse` does (`HEAD~3`, `v0.1`, a short
    /// id, `main@{1}`); `git_object_peel(GIT_OBJECT_COMMIT)` then turns an annotated tag into its
    /// commit.
    ///
    /// - Throws: `GitError` with libgit2's message, e.g. `GIT_ENOTFOUND` "revspec 'nope' not found",
    ///   `GIT_EAMBIGUOUS` for a short id matching several objects, or a peel error when the revspec
    ///   names a tree or blob.
    public func resolve(_ revspec: String) throws(GitError) -> CommitInfo {
        let commit = try peeledCommit(revspec)
        defer { git_object_free(commit) }
        return try commitInfo(commit)
    }

    /// The first-parent history from `revspec`, newest first, at most `limit` commits.
    ///
    /// This is `git log --first-parent`: a revwalk (`git_revwalk_new`) with
    /// `git_revwalk_simplify_first_parent` and `GIT_SORT_NONE`, which walks lazily (topological
    /// sorting would load the whole history before the first result). libgit2 1.5 does not support
    /// shallow clones: its revwalk reads parents ahead and stops one commit early at the shallow
    /// boundary, so in a shallow repository the chain is followed by hand with `git_commit_parent(…,
    /// 0)` until the parent is missing (`GIT_ENOTFOUND`), which is exactly what git shows there.
    public func firstParentHistory(from revspec: String = "HEAD", limit: Int) throws(GitError) -> [CommitInfo] {
        guard limit > 0 else { return [] }
        let start = try peeledCommit(revspec)
        if isShallow {
            return try manualFirstParentWalk(from: start, limit: limit)
        }
        defer { git_object_free(start) }
        var walk: OpaquePointer?
        try gitCheck(git_revwalk_new(&walk, handle), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try gitCheck(git_revwalk_sorting(walk, GIT_SORT_NONE.rawValue), "git_revwalk_sorting")
        try gitCheck(git_revwalk_simplify_first_parent(walk), "git_revwalk_simplify_first_parent")
        guard let startId = git_commit_id(start) else {
            throw GitError.local("commit has no id", function: "git_commit_id")
        }
        try gitCheck(git_revwalk_push(walk, startId), "git_revwalk_push")

        var result: [CommitInfo] = []
        var oid = git_oid()
        while result.count < limit {
            let code = git_revwalk_next(&oid, walk)
            if code == GIT_ITEROVER.rawValue { break }
            try gitCheck(code, "git_revwalk_next")
            var commit: OpaquePointer?
            try gitCheck(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
            defer { git_commit_free(commit) }
            guard let commit else { break }
            result.append(try commitInfo(commit))
        }
        return result
    }

    /// Follows parent 0 from `start` (taking ownership of it) until the chain ends or `limit` is hit.
    private func manualFirstParentWalk(from start: OpaquePointer, limit: Int) throws(GitError) -> [CommitInfo] {
        var result: [CommitInfo] = []
        var current: OpaquePointer? = start
        defer { git_commit_free(current) }
        while let commit = current, result.count < limit {
            result.append(try commitInfo(commit))
            guard result.count < limit, git_commit_parentcount(commit) > 0 else { break }
            var parent: OpaquePointer?
            let code = git_commit_parent(&parent, commit, 0)
            if code == GIT_ENOTFOUND.rawValue { break }  // the shallow boundary: the parent was not fetched
            try gitCheck(code, "git_commit_parent")
            git_commit_free(commit)
            current = parent
        }
        return result
    }

    /// `git_revparse_single` + `git_object_peel(GIT_OBJECT_COMMIT)`; the caller frees the result
    /// with `git_object_free` (a `git_commit *` is a `git_object *`).
    func peeledCommit(_ revspec: String) throws(GitError) -> OpaquePointer {
        var object: OpaquePointer?
        try gitCheck(git_revparse_single(&object, handle, revspec), "git_revparse_single")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try gitCheck(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel")
        guard let commit else {
            throw GitError.local("'\(revspec)' does not name a commit", function: "git_object_peel")
        }
        return commit
    }

    /// Id, 12-hex short id, summary and committer time of a `git_commit *`.
    func commitInfo(_ commit: OpaquePointer) throws(GitError) -> CommitInfo {
        guard let oid = git_commit_id(commit) else {
            throw GitError.local("commit has no id", function: "git_commit_id")
        }
        let id = hexString(oid)
        let short = shortId(id)
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        let seconds = Int64(git_commit_time(commit))
        let time = GitTime.iso8601(seconds: seconds, offsetMinutes: git_commit_time_offset(commit))
        return CommitInfo(id: id, short: short, summary: summary, time: time, epochSeconds: seconds)
    }
}
