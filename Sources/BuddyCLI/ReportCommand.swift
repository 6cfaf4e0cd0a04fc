import ArgumentParser
import BuddyReport
import BuddyResults
import Foundation

/// `buddylab report NAME [--commit REV] [--out FILE]`: re-render a report from stored records.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render a report from stored results.")

    @Argument(help: "Experiment name (or a path to its YAML; the file name without .yaml is used).") var name: String
    @Option(help: "Revision whose records to render (default: the newest stored).") var commit: String?
    @Option(help: "Write here instead of stdout.") var out: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        try withExitCodes {
            let experiment = name.hasSuffix(".yaml")
                ? URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent : name
            let repo = try? store.repository()
            var commitId: String? = nil
            if let c = commit {
                guard let r = repo else { throw BadInput("--commit needs a git repository") }
                do { commitId = try r.resolve(c).id } catch { throw BadInput("--commit '\(c)': \(String(describing: error))") }
            }
            let (all, problems) = store.store(root: repo?.workdir).records(experiment: experiment)
            store.reportProblems(problems)
            guard !all.isEmpty else { throw BadInput("no stored results for experiment '\(experiment)'") }
            let chosenCommit = commitId ?? all.max { $0.storedAt < $1.storedAt }?.revision?.commit
            let records = all.filter { $0.revision?.commit == chosenCommit }
            guard let first = records.first else { throw BadInput("no stored results for '\(experiment)' at that revision") }
            let doc = ResultDocument(revision: first.revision, revisionNote: first.revisionNote, tool: first.tool,
                                     experiment: first.experiment, baseline: first.baseline,
                                     runs: records.map(\.run).sorted { ($0.variant, $0.seed) < ($1.variant, $1.seed) })
            let input = ReportInput(document: doc, description: "", machineLines: [],
                                    seeds: Array(Set(doc.runs.map(\.seed))).sorted(), expectations: [],
                                    opLabels: [:], generatedAt: first.storedAt,
                                    command: "buddylab report \(experiment)",
                                    variantOrder: Array(NSOrderedSet(array: doc.runs.map(\.variant))) as? [String] ?? [])
            let text = store.format == "text" ? renderText(input) : renderMarkdown(input)
            if let o = out { try writeAtomically(text, to: o) } else { print(text, terminator: "") }
        }
    }
}
