import Foundation

extension ResultStore {
    /// Replaces (or creates) the file at `path` atomically with the store's own machinery: the
    /// parent directories made and synced, a unique temporary file written and `fsync`ed, then
    /// `rename(2)` over the target and the directory synced. Readers see the old content or
    /// the new, never a half-written file. Unlike `write(_:)` (records are never replaced) this
    /// is for outputs that are meant to be regenerated: reports and `--json` files.
    public static func replaceAtomically(_ data: Data, at path: String) throws(ResultStoreError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try makeDirectories(directory)
        let temporary = try writeTemporary(data, in: directory, baseName: url.lastPathComponent)
        if rename(temporary, path) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw .system("rename", path, code)
        }
        try syncDirectory(directory)
    }
}
