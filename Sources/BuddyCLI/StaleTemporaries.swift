import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Temporary files of atomic writes (`.NAME.tmp-PID-HEX`, `ResultStore.writeTemporary`) left in
/// a results store by a process that was killed between creating and renaming them.
///
/// Only files whose writer is gone are removed: `kill(PID, 0)` failing with ESRCH. A live PID
/// (the writer still running, or the number reused) keeps its file — a concurrent `run` or
/// `merge` into the same store must never lose a record it is about to rename into place.
enum StaleTemporaries {
    /// Removes the stale temporaries under `root` (recursively) and returns how many.
    static func remove(under root: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return 0 }
        var removed = 0
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard let pid = writerPID(name), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH, unlink(root + "/" + relative) == 0 { removed += 1 }
        }
        return removed
    }

    /// The PID in `.NAME.tmp-PID-HEX`, nil for any other name.
    static func writerPID(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), let range = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let parts = name[range.upperBound...].split(separator: "-")
        guard parts.count == 2, parts[1].allSatisfy(\.isHexDigit), let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }
}
