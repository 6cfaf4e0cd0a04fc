import BuddyProvenance
import BuddyResults
import Foundation

/// The revision of the repository around `path` as the contract's `revision` object, or nil
/// plus the reason (outside a repository, no commit yet, libgit2 error).
func currentRevision(repo: String?) -> (RevisionInfo?, String?, root: String?) {
    let path = repo ?? FileManager.default.currentDirectoryPath
    let (rev, note) = GitRepository.currentRevision(at: path)
    let root = try? GitRepository.discover(from: path).workdir
    guard let r = rev else { return (nil, note, root) }
    return (r, nil, root)
}
