import CGit2

/// An open libgit2 repository (`git_repository *`), freed with `git_repository_free` in `deinit`.
///
/// Deliberately not `Sendable`: a `git_repository` may be used from one thread at a time only
/// (libgit2's threading rules), so each task opens its own. Open one with
/// ``discover(from:ceiling:)``; read the revision with ``revision()``, history with
/// ``firstParentHistory(from:limit:)`` and revspecs with ``resolve(_:)``.
public final class GitRepository {
    /// The `git_repository *`; never NULL once initialised.
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    /// Opens the repository containing `path`, searching upward like `git` does.
    ///
    /// Uses `git_repository_open_ext` with flags 0: search parent directories, but do not cross
    /// filesystems. `path` may be the work tree, any directory or file inside it, or the `.git`
    /// directory itself.
    ///
    /// - Parameters:
    ///   - path: where to start the search.
    ///   - ceiling: `:`-separated directories the upward search must not enter (libgit2's
    ///     `ceiling_dirs`). Tests pass their temporary root so a scratch directory is never taken for
    ///     part of an enclosing checkout.
    /// - Throws: `GitError` with `GIT_ENOTFOUND` when no repository is found (libgit2's message,
    ///   e.g. "could not find repository from '…'" or "failed to resolve path '…'").
    public static func discover(from path: String, ceiling: String? = nil) throws(GitError) -> GitRepository {
        ensureLibgit2()
        var repo: OpaquePointer?
        let code: Int32
        if let ceiling {
            code = ceiling.withCString { git_repository_open_ext(&repo, path, 0, $0) }
        } else {
            code = git_repository_open_ext(&repo, path, 0, nil)
        }
        try gitCheck(code, "git_repository_open_ext")
        guard let repo else {
            throw GitError.local("libgit2 returned no repository", function: "git_repository_open_ext")
        }
        return GitRepository(handle: repo)
    }

    /// The work tree root without a trailing slash (`git_repository_workdir`), nil for a bare repository.
    public var workdir: String? {
        guard let dir = git_repository_workdir(handle) else { return nil }
        return Self.trimmingTrailingSlash(String(cString: dir))
    }

    /// The `.git` directory (`git_repository_path`), without a trailing slash.
    public var gitdir: String {
        Self.trimmingTrailingSlash(String(cString: git_repository_path(handle)))
    }

    /// `git_repository_is_bare`.
    public var isBare: Bool { git_repository_is_bare(handle) == 1 }

    /// `git_repository_is_shallow`: libgit2 1.5 cannot describe or revwalk such a clone correctly,
    /// so callers switch to fallbacks.
    public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// `git_repository_head_detached`.
    public var isHeadDetached: Bool { git_repository_head_detached(handle) == 1 }

    /// `git_repository_head_unborn`: HEAD names a branch without commits (fresh `git init`).
    public var isHeadUnborn: Bool { git_repository_head_unborn(handle) == 1 }

    /// Switches libgit2's process-wide ownership validation (`GIT_OPT_SET_OWNER_VALIDATION`).
    ///
    /// buddylab turns it off at initialisation (see `libgit2Initialized` for why). This affects every
    /// thread, so tests that toggle it must be serialised.
    public static func setOwnerValidation(_ enabled: Bool) throws(GitError) {
        ensureLibgit2()
        try gitCheck(buddylab_git_set_owner_validation(enabled ? 1 : 0), "git_libgit2_opts")
    }

    /// The branch HEAD points at, born or unborn, or nil when HEAD is detached.
    ///
    /// `git_repository_head` fails on an unborn branch (`GIT_EUNBORNBRANCH`), so HEAD itself is looked
    /// up with `git_reference_lookup` and its symbolic target read (`refs/heads/main` → `main`).
    public func headBranch() throws(GitError) -> String? {
        var ref: OpaquePointer?
        try gitCheck(git_reference_lookup(&ref, handle, "HEAD"), "git_reference_lookup")
        defer { git_reference_free(ref) }
        guard let ref, git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC,
              let target = git_reference_symbolic_target(ref) else { return nil }
        let name = String(cString: target)
        let prefix = "refs/heads/"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    private static func trimmingTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
