import BuddyExperiment
import BuddyReport
import BuddyResults
import Foundation

/// `buddylab run` for sweeps (`sweep:` files) and shards (`--shard I/N`): an explicit task list
/// over every point, run by `SweepRunner`, each record stored with its point.
extension RunCommand {
    func parsedShard() throws -> Shard? {
        guard let text = shard else { return nil }
        do { return try Shard(parsing: text) } catch { throw BadInput(error.message) }
    }

    /// A shard's report would show a fraction of the tasks (and N shards would race on one
    /// file), so shards write one only when `--report` asks for it.
    func writesReport(_ e: Experiment, shard: Shard?) -> Bool { shard == nil || report != nil }

    /// Runs `points` (all of one file, variants and seeds already selected), or the shard's share.
    /// - Returns: the step that writes the outputs (OutputPipeline), returning whether every
    ///   expectation held, and whether every record reached the store.
    func runPoints(_ points: [Experiment], shard: Shard?, revision: RevisionInfo?, note: String?,
                   store: ResultStore, outputs: RunOutputs) -> OutputPipeline.Step {
        let first = points[0]
        let all = SweepTask.all(points: points.count, seeds: first.seeds.count, variants: first.variants.count)
        let tasks = shard?.select(all) ?? all
        // Straight to the process's stderr (ProgressMeter): the runner calls it from its worker
        // threads, which do not see the task-local `Console.capture`.
        let meter = ProgressMeter.make(first.name, forced: progress)
        let result = SweepRunner(jobs: jobs).run(points: points, tasks: tasks,
                                                 progress: meter?.onRuns,
                                                 events: meter?.onEvents)
        meter?.finish()
        return { try writePointOutputs(points, result, tasks: tasks, all: all, shard: shard, revision: revision,
                                       note: note, store: store, outputs: outputs) }
    }

    /// Stores the records and writes the report, JSON and summary of a sweep or shard.
    private func writePointOutputs(_ points: [Experiment], _ result: SweepRun, tasks: [SweepTask], all: [SweepTask],
                                   shard: Shard?, revision: RevisionInfo?, note: String?, store: ResultStore,
                                   outputs: RunOutputs) throws -> (passed: Bool, stored: Bool) {
        let first = points[0]
        for v in result.violations {
            printError("\(first.name) \(v.variant) seed \(v.seed): simulator invariant violated: \(v.messages.first ?? "")")
        }
        let runs = result.results.map(\.run)
        let ref = ExperimentRef(name: first.name, file: first.file, sha256: first.sourceSHA256)
        let tool = ToolInfo(version: BuddyLab.version, swift: "6.3.1")
        let doc = ResultDocument(revision: revision, revisionNote: note, tool: tool, experiment: ref,
                                 baseline: first.baseline, runs: runs)
        let now = ISO8601DateFormatter().string(from: Date())
        var stored = true
        let records = runs.map {
            StoredRecord(revision: revision, revisionNote: note, tool: tool, experiment: ref,
                         baseline: first.baseline, run: $0, storedAt: now, allowDirty: allowDirty)
        }
        for case .failure(let error) in store.write(batch: records) { printError("results store: \(error)"); stored = false }
        if let j = outputs.json { try j.write(try ResultJSON.encode(doc)) }
        let outcomes = Self.evaluatePerPoint(points, runs: runs)
        let command = "buddylab run \(first.file)" + (variants.map { " --variants \($0)" } ?? "")
            + (seeds.map { " --seeds \($0)" } ?? "") + (shard.map { " --shard \($0)" } ?? "")
        if writesReport(first, shard: shard), let target = outputs.report(for: first) {
            if first.point == nil {
                let input = ReportInput(
                    document: doc, description: first.description, machineLines: ExperimentReportParts.machine(first),
                    seeds: first.seeds, expectations: ExperimentReportParts.expectations(outcomes),
                    opLabels: first.opLabels, generatedAt: now, command: command, variantOrder: first.variants,
                    includeProcDumps: procDumps)
                try ReportFiles.writeWithHeatmap(input, to: target)
            } else {
                var input = SweepReportInput(
                    document: doc, description: first.description, machineLines: ExperimentReportParts.machine(first),
                    points: points.compactMap(\.point), seeds: first.seeds,
                    expectations: ExperimentReportParts.expectations(outcomes), generatedAt: now,
                    command: command, variantOrder: first.variants,
                    chartPrefix: ReportFiles.prefix(forReport: target.path))
                input.pageblockAxes = ExperimentReportParts.pageblockAxes(points.last ?? first)
                try ReportFiles.write(renderSweepMarkdown(input), to: target)
            }
        }
        if shard == nil, first.point != nil {
            // The terminal summary of a sweep: the mmtests layout of the metrics that differ.
            outputs.say(renderSweepMMTests(SweepReportInput(
                document: doc, description: "", machineLines: [], points: points.compactMap(\.point),
                seeds: first.seeds, expectations: [], generatedAt: now, command: command,
                variantOrder: first.variants, chartPrefix: ""), meanOnly: true) + "\n")
        }
        let share = shard.map { " (shard \($0): \(tasks.count) of \(all.count) tasks)" } ?? ""
        outputs.say("\(first.name): \(points.count) point\(points.count == 1 ? "" : "s")\(share), \(runs.count) runs, "
                    + "\(result.totalEvents) events in " + String(format: "%.2f s (%.2f M events/s over all tasks)\n",
                    result.wallSeconds, result.eventsPerSecond / 1e6))
        for o in outcomes where !o.passed { printError("\(first.file):\(o.line): expect failed: \(o.text) \(o.detail ?? "")") }
        return (Expectations.allPassed(outcomes), stored)
    }

    /// Each point's expectations over that point's runs; the text names the point.
    static func evaluatePerPoint(_ points: [Experiment], runs: [RunResult]) -> [ExpectationOutcome] {
        guard points.count > 1 || points.first?.point != nil else {
            return Expectations.evaluate(points.first?.expectations ?? [], runs: runs)
        }
        let byPoint = Dictionary(grouping: runs) { $0.point?.index ?? -1 }
        return points.flatMap { p -> [ExpectationOutcome] in
            let index = p.point?.index ?? -1
            return Expectations.evaluate(p.expectations, runs: byPoint[index] ?? []).map { o in
                var o = o
                o.text = "[\(p.point?.label ?? "")] " + o.text
                return o
            }
        }
    }
}
