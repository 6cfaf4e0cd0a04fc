import CGit2
import Crypto

extension GitRepository {
    /// The revision of the work tree: HEAD's commit, branch, describe string and dirty state.
    ///
    /// - Parameter excluding: work-tree-relative paths the tool itself writes (a directory ends
    ///   in `/`): changes there count neither towards `dirty` nor into the diff hash
    ///   (`GitRepository+ToolOutputs.swift`).
    /// - Throws: `GitError` with `GIT_EUNBORNBRANCH` when HEAD has no commit yet (fresh `git init`),
    ///   or whatever libgit2 reports.
    public func revision(excluding: [String] = []) throws(GitError) -> Revision {
        if isHeadUnborn {
            let branch = (try? headBranch()) ?? nil
            throw GitError(code: GIT_EUNBORNBRANCH.rawValue, errorClass: 0,
                           message: Self.unbornMessage(branch: branch), function: "git_repository_head_unborn")
        }
        let commit = try peeledCommit("HEAD")
        defer { git_object_free(commit) }
        let info = try commitInfo(commit)
        let branch = isHeadDetached ? nil : try headBranch()
        let dirty = try hasTrackedChanges(excluding: excluding)
        let diffHash = dirty ? try workdirDiffSHA256(against: commit, excluding: excluding) : nil
        let description = try describe(commit, dirty: dirty)
        return Revision(commit: info.id, short: info.short, branch: branch, describe: description,
                        dirty: dirty, dirtyDiffSHA256: diffHash, commitTime: info.time,
                        summary: git_commit_summary(commit).map { String(cString: $0) })
    }

    /// The revision of the repository around `path`, never throwing: the reason there is none goes
    /// into `note` (what the contract's `revision_note` carries).
    ///
    /// - Returns: `(revision, nil)`; or `(nil, "not a git repository: <libgit2 message>")` outside
    ///   any repository; `(nil, "repository has no commits yet (unborn branch 'main')")` before the
    ///   first commit; `(nil, "cannot read the revision: <message>")` for anything else.
    public static func currentRevision(at path: String, ceiling: String? = nil,
                                       excluding: [String] = []) -> (Revision?, note: String?) {
        let repository: GitRepository
        do throws(GitError) {
            repository = try discover(from: path, ceiling: ceiling)
        } catch {
            return (nil, "not a git repository: \(error.message)")
        }
        if repository.isHeadUnborn {
            return (nil, unbornMessage(branch: (try? repository.headBranch()) ?? nil))
        }
        do throws(GitError) {
            return (try repository.revision(excluding: excluding), nil)
        } catch {
            return (nil, "cannot read the revision: \(error.message)")
        }
    }

    static func unbornMessage(branch: String?) -> String {
        "repository has no commits yet (unborn branch '\(branch ?? "HEAD")')"
    }

    /// True when a tracked file differs from HEAD in the index or the work tree.
    ///
    /// `git_status_list_new` with NULL options uses `GIT_STATUS_OPT_DEFAULTS`, which lists untracked
    /// *and ignored* files, so an ignored build directory alone would read as dirty. The options are
    /// therefore built with `git_status_options_init` (flags 0) plus `GIT_STATUS_SHOW_INDEX_AND_WORKDIR`
    /// and `GIT_STATUS_OPT_EXCLUDE_SUBMODULES`: only tracked changes remain, as for
    /// `git describe --dirty`. A bare repository has no work tree and is never dirty.
    public func hasTrackedChanges(excluding: [String] = []) throws(GitError) -> Bool {
        if isBare { return false }
        var options = git_status_options()
        try gitCheck(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)),
                     "git_status_options_init")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try gitCheck(git_status_list_new(&list, handle, &options), "git_status_list_new")
        defer { git_status_list_free(list) }
        return Self.countsAsChange(list, excluding: excluding)
    }

    /// Lowercase hex SHA-256 of the patch from `commit`'s tree to the work tree (through the index).
    ///
    /// `git_diff_tree_to_workdir_with_index` is what `git diff HEAD` shows: staged and unstaged
    /// changes to tracked files, never untracked ones. `git_diff_to_buf(GIT_DIFF_FORMAT_PATCH)` gives
    /// the patch text. `GIT_DIFF_SHOW_BINARY` puts binary contents into the patch, so the hash
    /// covers the bytes themselves and not just a "Binary files differ" line, and `id_abbrev` is
    /// pinned to the full 40 hex so the text does not depend on `core.abbrev`.
    func workdirDiffSHA256(against commit: OpaquePointer, excluding: [String] = []) throws(GitError) -> String {
        var tree: OpaquePointer?
        try gitCheck(git_commit_tree(&tree, commit), "git_commit_tree")
        defer { git_tree_free(tree) }
        var options = git_diff_options()
        try gitCheck(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.flags = GIT_DIFF_SHOW_BINARY.rawValue
        options.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL
        options.id_abbrev = UInt16(GIT_OID_HEXSZ)
        var diff: OpaquePointer?
        try gitCheck(git_diff_tree_to_workdir_with_index(&diff, handle, tree, &options),
                     "git_diff_tree_to_workdir_with_index")
        defer { git_diff_free(diff) }
        if let hash = try Self.sha256(of: diff, excluding: excluding) { return hash }
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        try gitCheck(git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH), "git_diff_to_buf")
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(start: buf.ptr, count: buf.size))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// `git describe --tags --always --dirty` for `commit`.
    ///
    /// `git_describe_commit` with `GIT_DESCRIBE_TAGS` (lightweight tags count, like `--tags`; the
    /// default strategy only sees annotated ones) and `show_commit_oid_as_fallback` (`--always`).
    /// The `-dirty` suffix is appended from ``hasTrackedChanges()`` rather than by
    /// `git_describe_workdir`, so the suffix and the `dirty` field can never disagree and bare
    /// repositories work too. libgit2 1.5 cannot describe in a shallow clone ("object not found" at
    /// the boundary); there the result is the abbreviated id, which is what `git describe --always`
    /// prints when it finds no tag.
    func describe(_ commit: OpaquePointer, dirty: Bool) throws(GitError) -> String {
        let suffix = dirty ? "-dirty" : ""
        var options = git_describe_options()
        try gitCheck(git_describe_options_init(&options, UInt32(GIT_DESCRIBE_OPTIONS_VERSION)),
                     "git_describe_options_init")
        options.describe_strategy = GIT_DESCRIBE_TAGS.rawValue
        options.show_commit_oid_as_fallback = 1
        var result: OpaquePointer?
        let code = git_describe_commit(&result, commit, &options)
        defer { git_describe_result_free(result) }
        if code < 0 {
            let error = GitError.capture(code, in: "git_describe_commit")
            guard isShallow else { throw error }
            return try abbreviatedId(commit) + suffix
        }
        var format = git_describe_format_options()
        try gitCheck(git_describe_format_options_init(&format, UInt32(GIT_DESCRIBE_FORMAT_OPTIONS_VERSION)),
                     "git_describe_format_options_init")
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        try gitCheck(git_describe_format(&buf, result, &format), "git_describe_format")
        return string(of: buf) + suffix
    }

    /// libgit2's own unique abbreviation (`git_object_short_id`), for `describe`.
    private func abbreviatedId(_ object: OpaquePointer) throws(GitError) -> String {
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        try gitCheck(git_object_short_id(&buf, object), "git_object_short_id")
        return string(of: buf)
    }
}
