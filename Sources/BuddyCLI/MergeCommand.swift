import ArgumentParser
import BuddyResults
import Foundation

/// `buddylab merge STORE... --into DIR`: the union of several results stores (e.g. the
/// `--results DIR/$SLURM_ARRAY_TASK_ID` of each shard), checked before anything is written.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge results stores (e.g. the shards of a sweep) into one.",
        discussion: """
        Records are immutable: one that is already present, or present in two stores, \
        with the same content apart from timing is kept once; two with the same identity \
        (experiment, revision, variant, point, seed) but different results are a conflict: \
        exit 2 naming the record, and nothing is written. A store that does not exist or \
        holds unreadable files is reported and skipped, so one failed shard does not lose \
        the others' results. Render the merged sweep with `buddylab report NAME --results DIR`.

        Examples:
          buddylab merge shards/0 shards/1 shards/2 shards/3 --into results
          buddylab merge shards/* --into /tmp/merged && buddylab report contig-sweep --results /tmp/merged
        """)

    @Argument(help: "Stores to merge (directories written by `buddylab run --results`).") var stores: [String]
    @Option(help: "The store to merge into (created if missing; its records are kept).") var into: String

    func run() throws {
        try withExitCodes {
            var sources: [ResultStore] = []
            for path in stores {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    Console.err("buddylab: warning: \(path): no such store (a shard that failed?); merging the others\n")
                    continue
                }
                guard isDirectory.boolValue else { throw BadInput("\(path): not a directory") }
                sources.append(ResultStore(root: path))
            }
            // The store directory is checked like run's --results, before anything is read or
            // written: '' (would merge into the working directory), a dangling symlink or a
            // path under a file is exit 2 naming the flag, not one error per record.
            try ResultsLocation.checkWritable(into, flag: "--into")
            guard !sources.isEmpty else { throw BadInput("none of the stores exists: nothing to merge") }
            // Temporaries of merges (or runs) killed mid-write, whose process is gone, are
            // removed so later reads stop warning about them.
            let removed = StaleTemporaries.remove(under: into)
            if removed > 0 { Console.err("buddylab: note: removed \(removed) stale temporary file\(removed == 1 ? "" : "s") from \(into)\n") }
            let target = ResultStore(root: into)
            let plan = ResultStore.planMerge(sources: sources, into: target)
            for p in plan.problems { Console.err("buddylab: warning: \(p)\n") }
            if let conflict = plan.conflicts.first {
                let more = plan.conflicts.count > 1 ? " (and \(plan.conflicts.count - 1) more conflicts)" : ""
                throw BadInput("conflict: \(conflict)\(more); nothing merged")
            }
            var failed = false
            for record in plan.toWrite {
                do { _ = try target.write(record) } catch { printError("results store: \(error)"); failed = true }
            }
            Console.out("merged \(plan.toWrite.count) records from \(sources.count) store\(sources.count == 1 ? "" : "s") into \(into)"
                        + " (\(plan.duplicates) identical duplicates kept once)\n")
            if failed { throw Exit.internalError }
        }
    }
}
