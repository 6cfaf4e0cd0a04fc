import ArgumentParser
import BuddyProvenance
import BuddyReport
import BuddyResults

/// `buddylab history NAME`: each metric per commit along first-parent history, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a metric per commit along first-parent history (newest first).")

    @Argument(help: "Experiment name.") var name: String
    @Option(help: "Only this metric.") var metric: String?
    @Option(help: "Only this variant.") var variant: String?
    @Option(help: "Flag the first commit where a metric moved by more than this percent.") var threshold: Double = 5
    @Option(help: "Commits to walk.") var limit: Int = 50
    @OptionGroup var store: StoreOptions

    func run() throws {
        try withExitCodes {
            if let m = metric, MetricCatalog.info(m) == nil {
                throw BadInput("--metric: unknown metric '\(m)'")
            }
            let repo = try store.repository()
            let commits: [CommitInfo]
            do { commits = try repo.firstParentHistory(limit: limit) } catch { throw BadInput("history: \(String(describing: error))") }
            let refs = commits.map { CommitRef(id: $0.id, short: $0.short, summary: $0.summary) }
            let (table, problems) = store.store(root: repo.workdir).history(
                experiment: name, commits: refs, thresholdPercent: threshold)
            store.reportProblems(problems)
            let rows = table.rows.map { row in
                HistoryInput.Row(short: row.commit.short, summary: row.commit.summary, hasResults: row.hasResults,
                                 values: row.values,
                                 firstMove: row.firstMoves.map { HistoryInput.Key(variant: $0.variant, metric: $0.metric) })
            }
            let input = HistoryInput(name: name, metric: metric, variant: variant, threshold: threshold, rows: rows)
            print(store.format == "text" ? renderText(input) : renderMarkdown(input), terminator: "")
        }
    }
}
