import ArgumentParser
import BuddyProvenance
import BuddyReport
import BuddyResults

/// `buddylab compare REV_A REV_B [NAME]`: per variant and metric, A vs B; exit 1 on a regression.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare stored metrics of two revisions; exit 1 on a regression.",
        discussion: """
        Per experiment, variant and metric: the mean over the seeds both revisions have, \
        the delta and the delta in percent. A metric that got worse (by its direction: \
        ↑ ↓ →0) by more than --threshold percent is a regression, and the exit code is 1.

        Examples:
          buddylab compare HEAD~1 HEAD
          buddylab compare v0.1 HEAD neighbour-unmovable --threshold 2
          buddylab compare 1a2b3c4 5d6e7f8 smoke --format text
        """)

    @Argument(help: "Older revision (any revspec: HEAD~3, a tag, a short id).") var revA: String
    @Argument(help: "Newer revision.") var revB: String
    @Argument(help: "Experiment name (default: all).") var name: String?
    @Option(help: "Regression threshold in percent.") var threshold: Double = 5
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard threshold.isFinite, threshold >= 0 else {
            throw ValidationError("--threshold must be a percentage ≥ 0, not \(threshold)")
        }
    }

    func run() throws {
        try withExitCodes {
            let repo = try store.repository()
            let a: CommitInfo, b: CommitInfo
            do { a = try repo.resolve(revA) } catch { throw BadInput("REV_A '\(revA)': \(String(describing: error))") }
            do { b = try repo.resolve(revB) } catch { throw BadInput("REV_B '\(revB)': \(String(describing: error))") }
            let resultStore = store.store(root: repo.workdir)
            let (cmp, problems) = resultStore.compare(
                commit: a.id, with: b.id, experiment: name, thresholdPercent: threshold)
            store.reportProblems(problems)
            let input = CompareInput(name: name, revA: .init(short: a.short, describe: revA),
                                     revB: .init(short: b.short, describe: revB), comparison: cmp)
            // A regression gate that compared nothing must not pass: no common results means
            // the revisions (or the name) name nothing in the store — bad input, exit 2.
            if cmp.rows.isEmpty {
                let what = name.map { "experiment '\($0)'" } ?? "any experiment"
                throw BadInput("nothing to compare: \(resultStore.root) has no results "
                               + "of \(what) for both \(a.short) (\(revA)) and \(b.short) (\(revB))")
            }
            Console.out(store.format == "text" ? renderText(input) : renderMarkdown(input))
            if cmp.hasRegression { throw Exit.expectationFailed }
        }
    }
}
