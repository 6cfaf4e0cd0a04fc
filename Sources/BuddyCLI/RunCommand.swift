import ArgumentParser
import BuddyExperiment
import BuddyOracle
import BuddyReport
import BuddyResults
import Foundation

/// `buddylab run EXP.yaml...`: every selected variant on the identical workload of each
/// experiment; one stored record per (experiment, variant, seed) tagged with the revision; the
/// markdown report; a summary on stdout. All inputs are checked before anything is written.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run every selected variant on the identical workload of each experiment.",
        discussion: """
        Stores one record per (experiment, variant, seed) in the results store, tagged \
        with the revision; writes the markdown report and prints a summary table.

        Examples:
          buddylab run experiments/smoke.yaml
          buddylab run experiments/smoke.yaml --variants linux-5.18,linux-5.19
          buddylab run experiments/smoke.yaml --seeds 3 --json /tmp/smoke.json
          buddylab run experiments/smoke.yaml --proc-dumps --report /tmp/smoke.md
          buddylab run experiments/*.yaml --jobs 2 --allow-dirty
          buddylab run experiments/neighbour-unmovable.yaml --kernel 6.1 --kernel 6.12
          buddylab run experiments/neighbour-unmovable.yaml --kernel 6.1 --kernel-patch experiments/patches/move-freelist-head.patch
        """)

    @Argument(help: "Experiment files.") var experiments: [String]
    @Option(help: "Comma-separated variant ids (default: the experiment's).") var variants: String?
    @Option(help: "Number of seeds (1...N) overriding the experiment's.") var seeds: Int?
    @Option(help: "Parallel workers (default: all cores).") var jobs: Int?
    @Option(help: "Write the result JSON here (one experiment only).") var json: String?
    @Option(help: "Write the markdown report here (one experiment only; default: reports/NAME.md).") var report: String?
    @Option(help: "Results store directory (default: results/ at the repository root).") var results: String?
    @Option(help: "Repository whose revision tags the results (default: discovered from the working directory).") var repo: String?
    @Option(help: ArgumentHelp("Run only shard I of N (0-based): a fixed 1/N of the (point, variant, seed) tasks.",
                               discussion: "Task k of the canonical order goes to shard k mod N, whatever --jobs is. Merge the shards' stores with `buddylab merge`. A shard writes no report unless --report is given."))
    var shard: String?
    @Flag(help: "Store runs from a dirty tree as baseline-eligible.") var allowDirty = false
    @Option(help: "Memory the simulation may use, e.g. 16GiB (default: MemAvailable).") var maxMemory: String?
    @Flag(help: "Show a progress line even when stderr is not a terminal.") var progress = false
    @Flag(help: ArgumentHelp(
        "Add each variant's final /proc/buddyinfo and /proc/pagetypeinfo (first seed) to the report.",
        discussion: "The dumps are always kept in the stored records and the --json file, so `buddylab report NAME --proc-dumps` can show them later."))
    var procDumps = false
    @Option(name: .customLong("kernel"), help: ArgumentHelp(
        "Add a real-kernel column (6.1 or 6.12; repeat or comma-separate for both).",
        discussion: "Runs the experiment's scripted ops on the oracle kernel (User-Mode Linux, scripts/oracle/run); phases and ops it cannot run are listed in the report. Not stored in the results store. A kernel that cannot run: reason on stderr, exit 3 after the simulated results are written."))
    var kernel: [String] = []
    @Option(name: .customLong("kernel-patch"), help: ArgumentHelp(
        "Add a column of each --kernel with this patch applied (repeatable: one column per patch).",
        discussion: "patch -p1 on Debian's tree after buddylab's own patches (scripts/oracle/build-patched); built once from the cached kernel and cached by the patch's SHA-256. Column `kernel VERSION + NAME (UML)`. A patch that does not apply: exit 2 naming it and the failing hunk, nothing written. Same as --kernel SERIES+FILE."))
    var kernelPatch: [String] = []
    @Option(name: .customLong("kernel-machine"), help: ArgumentHelp(
        "The real kernel's machine: uml (User-Mode Linux, one zone; the default) or pc (x86_64 under QEMU TCG: zones DMA, DMA32, Normal, memory hotplug).",
        discussion: "With pc the experiment's offline/online ops and phases run (memory block b is the kernel's memoryb); column `kernel VERSION (x86_64 pc)`. No --kernel-patch there."))
    var kernelMachine: String = "uml"

    func run() throws {
        try withExitCodes {
            if let j = jobs, j < 1 { throw BadInput("--jobs must be at least 1") }
            if let s = seeds, s < 1 { throw BadInput("--seeds must be at least 1") }
            if experiments.count > 1 && (json != nil || report != nil) {
                throw BadInput("--json and --report take a single experiment (got \(experiments.count))")
            }
            let ids = try VariantList.parse(variants)
            let budget = try MemoryBudget.resolve(maxMemory: maxMemory)
            let shardSpec = try parsedShard()
            guard kernelMachine == "uml" || kernelMachine == "pc" else { throw BadInput("--kernel-machine: '\(kernelMachine)' is not uml or pc") }
            guard kernelMachine == "uml" || kernelPatch.isEmpty else { throw BadInput("--kernel-machine pc: --kernel-patch runs on User-Mode Linux only") }
            let kernels = try Self.parseKernels(kernel, patches: kernelPatch)
            guard kernelMachine == "uml" || kernels.allSatisfy({ $0.patch == nil }) else {
                throw BadInput("--kernel-machine pc: a patched kernel (SERIES+FILE) runs on User-Mode Linux only")
            }
            var loaded: [[Experiment]] = []   // per file: its sweep points (one without sweep:)
            // Decoded side by side (traces included), with the serial outcome (ExperimentFiles).
            let decoded = ExperimentFiles.loadPoints(experiments, jobs: ExperimentRunner(jobs: jobs).jobs)
            for (path, outcome) in zip(experiments, decoded) {
                let points: [Experiment]
                do { points = try outcome.get() } catch { throw BadInput(String(describing: error)) }
                do { loaded.append(try points.map { try $0.selecting(variants: ids, seedCount: seeds) }) } catch {
                    throw BadInput(String(describing: error))
                }
                for point in loaded[loaded.count - 1] { try budget.check(point) }
                // The real-kernel column builds the first seed's whole program.
                if !kernels.isEmpty, let problem = points[0].heldWholeProblem() { throw BadInput("--kernel: " + problem) }
                if !kernels.isEmpty && (points.count != 1 || points[0].point != nil || shardSpec != nil) {
                    throw BadInput("--kernel: \(path) has sweep: points or --shard is given; the real-kernel column is for a single run")
                }
            }
            try Self.checkPatchesApply(kernels)
            // Outputs, repository and store are checked before anything runs, so bad ones
            // write nothing (OutputTarget, ResultsLocation).
            let outputs = try RunOutputs(json: json, report: report,
                                         experiments: loaded.map(\.[0]).filter { writesReport($0, shard: shardSpec) },
                                         inputs: experiments)
            try ResultsLocation.checkRepository(repo)
            let (revision, note, root) = currentRevision(repo: repo) { root in
                outputs.toolOutputs + [(results ?? ResultStore.defaultRoot(repositoryRoot: root ?? "")) + "/"]
            }
            let store = results.map { ResultStore(root: $0) }
                ?? ResultStore(repositoryRoot: root ?? FileManager.default.currentDirectoryPath)
            try ResultsLocation.checkWritable(store.root, flag: results == nil ? "results store" : "--results")
            // Each experiment's outputs are written while the next one simulates (OutputPipeline).
            let pipeline = OutputPipeline()
            // A progress line drawn in place on stderr would be torn by the previous experiment's
            // summary arriving on stdout meanwhile: with one, nothing overlaps.
            let showsProgress = progress || isatty(STDERR_FILENO) == 1
            do {
                for points in loaded {
                    if showsProgress { try pipeline.drain() }
                    let writeOutputs = points.count == 1 && points[0].point == nil && shardSpec == nil
                        ? runOne(points[0], revision: revision, note: note, store: store,
                                 outputs: outputs, budget: budget, pipeline: pipeline)
                        : runPoints(points, shard: shardSpec, revision: revision, note: note, store: store,
                                    outputs: outputs)
                    try pipeline.submit(writeOutputs)
                }
                try pipeline.finish()
            } catch {
                try? pipeline.finish()   // never leave a step writing when the command ends
                throw error
            }
            if !pipeline.allStored { throw Exit.internalError }
            if !pipeline.allPassed { throw Exit.expectationFailed }
        }
    }

    /// Simulates `e` and returns the step that writes its outputs (OutputPipeline).
    /// - Returns: a step returning whether every expectation held, and whether every record
    ///   reached the store (a failed store write is reported at once; the run goes on and exits
    ///   3 at the end).
    func runOne(_ e: Experiment, revision: RevisionInfo?, note: String?, store: ResultStore,
                outputs: RunOutputs, budget: MemoryBudget, pipeline: OutputPipeline) -> OutputPipeline.Step {
        let wanted = ExperimentRunner(jobs: jobs).jobs
        let runner = ExperimentRunner(jobs: e.runsThatFit(availableBytes: budget.bytes, jobs: wanted))
        if runner.jobs < wanted && e.variants.count * e.seeds.count > runner.jobs {
            // Memory is short: the previous experiment's outputs finish first (they hold memory
            // too), and this note comes after them, in order.
            do { try pipeline.drain() } catch { return { throw error } }
            Console.err("buddylab: note: \(e.name): \(runner.jobs) run(s) at a time: each needs up to "
                        + "\(Experiment.gib(e.runFootprintBytes)), \(Experiment.gib(budget.bytes)) available (\(budget.source))\n")
        }
        // Straight to the process's stderr (ProgressMeter): the runner calls it from its worker
        // threads, which do not see the task-local `Console.capture`, and progress is for a human
        // at a terminal (or a log, with --progress).
        let meter = ProgressMeter.make(e.name, forced: progress)
        let result = runner.run(e, progress: meter?.onRuns,
                                events: meter?.onEvents)
        meter?.finish()
        return { try writeOutputs(e, result, revision: revision, note: note, store: store, outputs: outputs) }
    }

    /// Stores `e`'s records and writes its report, JSON and summary (the pipeline's step).
    private func writeOutputs(_ e: Experiment, _ result: ExperimentRun, revision: RevisionInfo?, note: String?,
                              store: ResultStore, outputs: RunOutputs) throws -> (passed: Bool, stored: Bool) {
        for v in result.violations {
            printError("\(e.name) \(v.variant) seed \(v.seed): simulator invariant violated: \(v.messages.first ?? "")")
        }
        let ref = ExperimentRef(name: e.name, file: e.file, sha256: e.sourceSHA256)
        let tool = ToolInfo(version: BuddyLab.version, swift: "6.3.1")
        let targets = ((try? Self.parseKernels(kernel, patches: kernelPatch)) ?? []).map { k -> KernelTarget in
            var k = k
            if kernelMachine == "pc" { k.machine = "pc" }
            return k
        }
        let kernelColumns = Self.kernelColumns(e, kernels: targets)
        // The --json document keeps real-kernel runs apart (`kernel_runs`); the report shows
        // them as columns beside the variants.
        let doc = ResultDocument(revision: revision, revisionNote: note, tool: tool, experiment: ref,
                                 baseline: e.baseline, runs: result.runs,
                                 kernelRuns: kernelColumns.runs.isEmpty ? nil : kernelColumns.runs)
        var reportDoc = doc
        reportDoc.runs += kernelColumns.runs
        reportDoc.kernelRuns = nil
        let outcomes = Expectations.evaluate(e.expectations, runs: result.runs)
        let now = ISO8601DateFormatter().string(from: Date())
        var stored = true
        let records = result.runs.map {
            StoredRecord(revision: revision, revisionNote: note, tool: tool, experiment: ref,
                         baseline: e.baseline, run: $0, storedAt: now, allowDirty: allowDirty)
        }
        for case .failure(let error) in store.write(batch: records) { printError("results store: \(error)"); stored = false }
        if let j = outputs.json { try j.write(try ResultJSON.encode(doc)) }
        var input = ReportInput(
            document: reportDoc, description: e.description,
            machineLines: ExperimentReportParts.machine(e),
            seeds: e.seeds,
            expectations: ExperimentReportParts.expectations(outcomes),
            opLabels: e.opLabels, generatedAt: now,
            command: "buddylab run \(e.file)" + (variants.map { " --variants \($0)" } ?? "")
                + (seeds.map { " --seeds \($0)" } ?? "") + (procDumps ? " --proc-dumps" : "")
                + kernel.map { " --kernel \($0)" }.joined() + kernelPatch.map { " --kernel-patch \($0)" }.joined()
                + (kernelMachine == "pc" && !kernel.isEmpty ? " --kernel-machine pc" : ""),
            variantOrder: e.variants + kernelColumns.runs.map(\.variant), includeProcDumps: procDumps)
        input.kernelNotes = kernelColumns.notes
        input.variantLines = ExperimentReportParts.variants(e.variants)
        input.pageblockAxes = ExperimentReportParts.pageblockAxes(e)
        if let target = outputs.report(for: e) { try ReportFiles.writeWithHeatmap(input, to: target) }
        outputs.say(renderSummary(input))
        for r in kernelColumns.runs { for item in r.kernel?.notRun ?? [] { outputs.say("\(r.variant): not run on a real kernel: \(item)\n") } }
        for n in kernelColumns.notes { outputs.say("\(n)\n") }
        outputs.say("\(e.name): \(result.runs.count) runs, \(result.totalEvents) events in " + String(format: "%.2f s (%.2f M events/s over all tasks)\n",
                     result.wallSeconds, result.eventsPerSecond / 1e6))
        for o in outcomes where !o.passed { printError("\(e.file):\(o.line): expect failed: \(o.text) \(o.detail ?? "")") }
        return (Expectations.allPassed(outcomes), stored && !kernelColumns.failed)
    }
}
