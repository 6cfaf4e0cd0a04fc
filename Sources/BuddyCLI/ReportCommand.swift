import ArgumentParser
import BuddyExperiment
import BuddyProvenance
import BuddyReport
import BuddyResults
import BuddyVariants
import Foundation

/// `buddylab report NAME [--commit REV] [--out FILE]`: re-render a report from stored records.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Re-render a report from stored results.",
        discussion: """
        Without --commit: the results of the current work tree (clean, or its exact \
        dirty diff), else of the nearest first-parent ancestor that has results, else \
        the newest stored.

        Examples:
          buddylab report smoke
          buddylab report smoke --commit HEAD~2 --out /tmp/smoke-old.md
          buddylab report neighbour-unmovable --proc-dumps
          buddylab report smoke --format text --results /tmp/results
        """)

    @Argument(help: "Experiment name, or its YAML file (its name: is used). Default: the only experiment in the store.")
    var name: String?
    @Option(help: "Revision whose records to render (any revspec: HEAD~1, a tag, a short id).") var commit: String?
    @Option(help: "Write here instead of stdout.") var out: String?
    @Flag(help: "Add each variant's final /proc/buddyinfo and /proc/pagetypeinfo (first seed), as stored.")
    var procDumps = false
    @Option(help: "Comma-separated variant ids: only these columns, in this order (the first is the baseline unless the stored baseline is listed).")
    var variants: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        try withExitCodes {
            let target = try out.map { try OutputTarget.prepare($0, flag: "--out", inputs: inputFiles) }
            let repo = try? store.repository()
            let results = store.store(root: repo?.workdir)
            let experiment = try experimentName(results)
            var commitId: String? = nil
            if let c = commit {
                guard let r = repo else { throw BadInput("--commit needs a git repository") }
                do { commitId = try r.resolve(c).id } catch { throw BadInput("--commit '\(c)': \(String(describing: error))") }
            }
            let (all, problems) = results.records(experiment: experiment)
            store.reportProblems(problems)
            guard !all.isEmpty else { throw BadInput("no stored results for experiment '\(experiment)'") }
            let selection = ReportSelection(all)
            var records: [StoredRecord]
            if let commitId {
                records = selection.records(commit: commitId)
            } else {
                let history = (try? repo?.firstParentHistory(limit: 1000))?.map(\.id) ?? []
                // The same exclusions as `run` (its default report directory and the store), so
                // the work tree's state compares equal to what `run` recorded.
                let current = repo?.workdir.flatMap { workdir in
                    currentRevision(repo: workdir) { _ in [ToolOutputPaths.defaultReportDirectory, results.root + "/"] }.0
                }
                records = selection.defaultRecords(current: current, history: history)
            }
            guard !records.isEmpty else {
                throw BadInput("--commit '\(commit ?? "")': no stored results for '\(experiment)' at that revision")
            }
            let columns = try ReportColumns(flag: variants, records: records)
            records = columns.narrow(records)
            guard let first = records.first else { throw BadInput("--variants: no stored results for these variants") }
            if records.contains(where: { $0.run.point != nil }) {
                return try renderSweep(records, experiment: experiment, workdir: repo?.workdir, columns: columns, target: target)
            }
            let doc = ResultDocument(revision: first.revision, revisionNote: first.revisionNote, tool: first.tool,
                                     experiment: first.experiment, baseline: first.baseline,
                                     runs: records.map(\.run).sorted { ($0.variant, $0.seed) < ($1.variant, $1.seed) })
            // The experiment file, if unchanged, supplies what records do not keep.
            var description = "", machine: [MachineLine] = [], expectations: [ExpectationLine] = []
            var opLabels: [Int: String] = [:], variantOrder = Variants.all.map(\.id)
            var seeds: [UInt64] = []      // empty: the report model takes the stored seeds
            var axes: [String: PageblockAxis] = [:]
            switch StoredExperiment.find(first.experiment, workdir: repo?.workdir) {
            case .found(let e):
                description = e.description
                machine = ExperimentReportParts.machine(e)
                axes = ExperimentReportParts.pageblockAxes(e)
                expectations = ExperimentReportParts.expectations(Expectations.evaluate(e.expectations, runs: doc.runs))
                opLabels = e.opLabels
                variantOrder = e.variants
                // The experiment's seed order (its first seed is the one charts and maps show,
                // as in `run`), narrowed to the seeds stored.
                let stored = Set(doc.runs.map(\.seed))
                seeds = e.seeds.filter { stored.contains($0) }
            case .unavailable(let why):
                Console.err("buddylab: note: machine, description and expectations left out: \(why)\n")
            }
            variantOrder = columns.order ?? variantOrder
            var input = ReportInput(document: doc, description: description, machineLines: machine,
                                    seeds: seeds, expectations: expectations,
                                    opLabels: opLabels, generatedAt: first.storedAt,
                                    command: "buddylab report \(experiment)" + (commit.map { " --commit \($0)" } ?? "")
                                        + (procDumps ? " --proc-dumps" : "") + columns.flagText,
                                    variantOrder: variantOrder, includeProcDumps: procDumps)
            input.variantLines = ExperimentReportParts.variants(variantOrder.isEmpty ? doc.runs.map(\.variant) : variantOrder)
            input.pageblockAxes = axes
            let text = store.format == "text" ? renderText(input)
                : store.format == "mmtests" ? renderMMTests(input) : renderMarkdown(input)
            if let target, store.format == "markdown" {
                try ReportFiles.writeWithHeatmap(input, to: target)
            } else if let target { try target.write(text) } else { Console.out(text) }
        }
    }

    /// Files this command reads that `--out` must not overwrite: a YAML file given as NAME.
    private var inputFiles: [String] { name.map { [$0] } ?? [] }

    /// The experiment to render: `name` itself, the `name:` of a YAML file given instead, or,
    /// without an argument, the one experiment the store holds.
    private func experimentName(_ results: ResultStore) throws -> String {
        if let n = name {
            guard n.hasSuffix(".yaml") || n.hasSuffix(".yml") else { return n }
            do { return try Experiment.load(contentsOf: n).name } catch { throw BadInput(String(describing: error)) }
        }
        let (records, problems) = results.records()
        store.reportProblems(problems)
        let names = Set(records.map(\.experiment.name)).sorted()
        guard names.count == 1 else {
            throw BadInput(names.isEmpty ? "no stored results in \(results.root)"
                           : "name an experiment: the store holds \(names.joined(separator: ", "))")
        }
        return names[0]
    }
}
