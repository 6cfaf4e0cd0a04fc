import BuddyProvenance
import BuddyResults
import Foundation

/// The revision of the repository around `repo` (default: the working directory) as the
/// contract's `revision` object, or nil plus the reason (outside a repository, no commit yet,
/// libgit2 error).
///
/// - Parameter toolOutputs: given the work-tree root, the paths this command writes (the report
///   directory, the results store, `--json`/`--report` files; a directory ends in `/`). Those
///   inside the work tree count neither towards the dirty state nor into the diff hash (issue
///   12, defect 8). The rule is stated in every report's header (`ReportHeader`), not in the
///   record: a note naming the paths would make two runs of the same input differ by where
///   they wrote (`--json a.json` vs `b.json`, two shard stores), against the contract's
///   byte-identical results and `merge`'s identical duplicates.
func currentRevision(repo: String?, toolOutputs: (_ root: String?) -> [String] = { _ in [] })
    -> (RevisionInfo?, String?, root: String?) {
    let path = repo ?? FileManager.default.currentDirectoryPath
    let root = try? GitRepository.discover(from: path).workdir
    let excluded = root.map { ToolOutputPaths.relative(toolOutputs($0), to: $0) } ?? []
    let (rev, note) = GitRepository.currentRevision(at: path, excluding: excluded)
    guard let r = rev else { return (nil, note, root) }
    return (r, nil, root)
}

/// Paths a command writes, as work-tree-relative exclusions for `GitRepository.revision`.
enum ToolOutputPaths {
    /// The default report directory of `run` (`reports/NAME.md`, relative to the working directory).
    static let defaultReportDirectory = "reports/"

    /// `paths` (absolute or relative to the working directory; directories end in `/`) that lie
    /// inside `root`, relative to it, sorted and without duplicates.
    static func relative(_ paths: [String], to root: String) -> [String] {
        let base = canonical(root)
        var out: [String] = []
        for p in paths {
            let isDirectory = p.hasSuffix("/")
            var trimmed = p
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            let absolute = trimmed.hasPrefix("/") ? trimmed : FileManager.default.currentDirectoryPath + "/" + trimmed
            let full = canonical(absolute)
            guard full.hasPrefix(base + "/") else { continue }
            let rel = String(full.dropFirst(base.count + 1)) + (isDirectory ? "/" : "")
            if !rel.isEmpty && rel != "/" { out.append(rel) }
        }
        return Array(Set(out)).sorted()
    }

    /// `path` with symlinks resolved (`realpath` when it exists, else its parent's plus the name).
    static func canonical(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return (try? OutputTarget.resolveSymlinks(path)) ?? path
    }
}
