import ArgumentParser
import BuddyProvenance
import BuddyReport
import BuddyResults
import BuddyVariants

/// `buddylab history NAME`: each metric per commit along first-parent history, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a metric per commit along first-parent history (newest first).",
        discussion: """
        One table per metric: a row per commit (short id and summary), a column per \
        variant. Commits without stored results show –; the first commit where a metric \
        moved by more than --threshold percent is marked ⚠ (bold), so a bisect can \
        start there.

        Examples:
          buddylab history smoke
          buddylab history smoke --metric contig_successes --variant linux-5.19
          buddylab history offline-online-drift --threshold 1 --limit 20 --format text
        """)

    @Argument(help: "Experiment name.") var name: String
    @Option(help: "Only this metric.") var metric: String?
    @Option(help: "Only this variant.") var variant: String?
    @Option(help: "Flag the first commit where a metric moved by more than this percent.") var threshold: Double = 5
    @Option(help: "Commits to walk.") var limit: Int = 50
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard threshold.isFinite, threshold >= 0 else {
            throw ValidationError("--threshold must be a percentage ≥ 0, not \(threshold)")
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() throws {
        try withExitCodes {
            if let m = metric, MetricCatalog.info(m) == nil {
                throw BadInput("--metric: unknown metric '\(m)'")
            }
            let repo = try store.repository()
            let commits: [CommitInfo]
            do { commits = try repo.firstParentHistory(limit: limit) } catch { throw BadInput("history: \(String(describing: error))") }
            let refs = commits.map { CommitRef(id: $0.id, short: $0.short, summary: $0.summary) }
            let (records, problems) = store.store(root: repo.workdir).records(experiment: name)
            store.reportProblems(problems)
            if let v = variant {
                // Stored ids count too: a variant dropped from the registry still has a history.
                let known = Variants.all.map(\.id) + records.map(\.run.variant)
                guard known.contains(v) else {
                    throw BadInput("--variant: unknown variant '\(v)' (valid: \(Variants.all.map(\.id).joined(separator: ", ")))")
                }
            }
            guard !records.isEmpty else { throw BadInput("no stored results for experiment '\(name)'") }
            let table = ResultStore.history(commits: refs, records: records, thresholdPercent: threshold)
            let input = HistoryInput(name: name, table: table, metric: metric, variant: variant)
            Console.out(store.format == "text" ? renderText(input) : renderMarkdown(input))
        }
    }
}
