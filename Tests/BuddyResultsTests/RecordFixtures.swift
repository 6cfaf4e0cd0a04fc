import BuddyResults
import Foundation

/// Builders for records and scratch store directories.
/// Read by the `atexit` handler, which cannot capture context.
nonisolated(unsafe) private var scratchRootForExit: String?

enum Fixtures {
    static let experimentSHA = String(repeating: "ab12", count: 16)

    /// A 40-hex commit id whose first 4 hex are `n` (`commit(1)` = "0001eeee…"), so distinct
    /// numbers give distinct 12-hex store directories.
    static func commit(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex + String(repeating: "e", count: 36)
    }

    static func revision(_ commit: String, dirty: Bool = false, diff: String? = nil) -> RevisionInfo {
        RevisionInfo(commit: commit, short: String(commit.prefix(12)), branch: "main", describe: String(commit.prefix(7)),
                     dirty: dirty, dirtyDiffSHA256: dirty ? (diff ?? String(repeating: "d", count: 64)) : nil,
                     commitTime: "2024-03-01T12:00:00+01:00", summary: "summary")
    }

    static func record(commit: String?, variant: String = "linux-5.18", seed: UInt64 = 1,
                       metrics: [String: Int] = ["contig_successes": 10], experiment: String = "neighbour-unmovable",
                       dirty: Bool = false, allowDirty: Bool = false, timing: Double? = nil,
                       storedAt: String = "2024-03-01T12:00:00Z") -> StoredRecord {
        StoredRecord(
            revision: commit.map { revision($0, dirty: dirty) },
            revisionNote: commit == nil ? "not a git repository" : nil,
            tool: ToolInfo(version: "0.1.0", swift: "6.3.1"),
            experiment: ExperimentRef(name: experiment, file: "experiments/\(experiment).yaml", sha256: experimentSHA),
            baseline: "linux-5.18",
            run: RunResult(variant: variant, seed: seed, workloadSHA256: "w\(seed)", metrics: metrics,
                           ops: [OpOutcome(index: 0, op: "alloc", result: "ok")], faults: [],
                           timing: timing.map { ["wall_seconds": $0] }),
            storedAt: storedAt, allowDirty: allowDirty)
    }

    /// A fresh empty directory under this test process's scratch root, which is removed when the
    /// process exits (`atexit`): the store tests create dozens of stores a run, and a directory
    /// per store left in /tmp by every `swift test` filled it with hundreds of them.
    static func scratchDirectory() throws -> String {
        let path = scratchRoot + "/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `buddylab-store-PID` under the temporary directory; created and registered for removal once.
    private static let scratchRoot: String = {
        let root = FileManager.default.temporaryDirectory.path + "/buddylab-store-\(getpid())"
        scratchRootForExit = root
        atexit { if let root = scratchRootForExit { try? FileManager.default.removeItem(atPath: root) } }
        return root
    }()

    /// Every regular file under `root`, relative, sorted.
    static func files(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + entry, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(entry)
            }
        }
        return files.sorted()
    }
}
