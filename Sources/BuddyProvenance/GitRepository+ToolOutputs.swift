import CGit2
import Crypto

/// Paths the tool itself writes — the report directory (`reports/`) and the results store —
/// are left out of the dirty state and the diff hash (issue 12, defect 8).
///
/// `make run` rewrites the tracked `reports/`; without this the next run read the tree as dirty
/// and stored its results under a dirty-diff directory, although no input had changed, and two
/// regenerations in a row never gave the same provenance. Outputs are not inputs: nothing under
/// them changes what a run computes. Callers say which paths they excluded in the revision note.
extension GitRepository {
    /// Whether `path` (work-tree relative) lies under one of `excluded` (a directory ends in `/`,
    /// anything else is one file).
    static func isExcluded(_ path: String, _ excluded: [String]) -> Bool {
        excluded.contains { $0.hasSuffix("/") ? path.hasPrefix($0) : path == $0 }
    }

    /// True when a status entry touches a path outside `excluded`.
    static func countsAsChange(_ list: OpaquePointer?, excluding excluded: [String]) -> Bool {
        let count = git_status_list_entrycount(list)
        if excluded.isEmpty { return count > 0 }
        for i in 0..<count {
            guard let entry = git_status_byindex(list, i) else { continue }
            let deltas = [entry.pointee.head_to_index, entry.pointee.index_to_workdir].compactMap { $0 }
            let paths = deltas.flatMap { [$0.pointee.old_file.path, $0.pointee.new_file.path] }
                .compactMap { $0.map { String(cString: $0) } }
            if paths.isEmpty || paths.contains(where: { !isExcluded($0, excluded) }) { return true }
        }
        return false
    }

    /// SHA-256 of the patch without the deltas under `excluded`, or nil when no delta is excluded
    /// (the caller then hashes the whole patch as before, so existing hashes do not move).
    static func sha256(of diff: OpaquePointer?, excluding excluded: [String]) throws(GitError) -> String? {
        guard !excluded.isEmpty else { return nil }
        let count = git_diff_num_deltas(diff)
        var kept: [Int] = []
        for i in 0..<count {
            guard let delta = git_diff_get_delta(diff, i) else { continue }
            let path = (delta.pointee.new_file.path ?? delta.pointee.old_file.path).map { String(cString: $0) } ?? ""
            if !isExcluded(path, excluded) { kept.append(i) }
        }
        guard kept.count < count else { return nil }
        var hasher = SHA256()
        for i in kept {
            var patch: OpaquePointer?
            try gitCheck(git_patch_from_diff(&patch, diff, i), "git_patch_from_diff")
            defer { git_patch_free(patch) }
            var buf = git_buf()
            defer { git_buf_dispose(&buf) }
            try gitCheck(git_patch_to_buf(&buf, patch), "git_patch_to_buf")
            if let ptr = buf.ptr { hasher.update(bufferPointer: UnsafeRawBufferPointer(start: ptr, count: buf.size)) }
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
