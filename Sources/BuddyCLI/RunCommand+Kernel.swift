import BuddyExperiment
import BuddyOracle
import BuddyResults

/// `buddylab run EXP.yaml --kernel 6.1 [--kernel 6.12 | --kernel 6.1,6.12]`: a real-kernel column
/// (`kernel 6.1.192 (UML)`) beside the simulated variants in the report, the summary table and
/// the --json document (KernelColumn, KernelRunPlan, KernelRunMetrics).
///
/// Real-kernel runs are not stored in the results store (a kernel's numbers are not a property
/// of the revision, and `report`/`history`/`compare` work on stored simulated runs only).
/// A kernel that cannot be built or run: the reason on stderr and in the report, the simulated
/// columns are written and stored as usual, and the command exits 3 at the end. An experiment
/// of which nothing can run on a real kernel: no column, the report says why, no error.
extension RunCommand {
    /// Kernel series `--kernel` accepts.
    static let kernelSeries = KernelTarget.series

    /// The `--kernel` values (repeated and/or comma-separated; `SERIES` or `SERIES+FILE`), then
    /// for each `--kernel-patch FILE` that patch on every plain series given, in the order
    /// written: `--kernel 6.1 --kernel-patch a.patch` is the columns 6.1 and 6.1+a.patch.
    /// - Throws: `BadInput` naming the flag for an unknown series, an empty entry, a duplicate, a
    ///   patch that is not a readable unified diff (FILE:LINE), or `--kernel-patch` without `--kernel`.
    static func parseKernels(_ values: [String], patches: [String] = []) throws -> [KernelTarget] {
        var out: [KernelTarget] = []
        func add(_ k: KernelTarget, _ flag: String) throws {
            guard !out.contains(where: { $0.series == k.series && $0.patch?.sha256 == k.patch?.sha256 }) else {
                throw BadInput("\(flag): '\(k)' is given twice")
            }
            if let name = k.patch?.name, out.contains(where: { $0.series == k.series && $0.patch?.name == name }) {
                throw BadInput("\(flag): two patches named '\(name)' on \(k.series): their columns would have the same name")
            }
            out.append(k)
        }
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let series = item.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
                guard kernelSeries.contains(series) else {
                    throw BadInput("--kernel '\(value)': '\(series)' is not a kernel series (\(kernelSeries.joined(separator: " or "))); a patched kernel is SERIES+FILE")
                }
                do { try add(try KernelTarget.parse(String(item), flag: "--kernel"), "--kernel") }
                catch let p as KernelPatch.Problem { throw BadInput(p.message) }
            }
        }
        guard patches.isEmpty || !out.isEmpty else { throw BadInput("--kernel-patch needs --kernel SERIES (the kernel to patch)") }
        let plain = out.filter { $0.patch == nil }.map(\.series)
        for file in patches {
            let patch: KernelPatch
            do { patch = try KernelPatch.load(file) } catch { throw BadInput(error.message) }
            for s in plain { try add(KernelTarget(series: s, patch: patch), "--kernel-patch") }
        }
        return out
    }

    /// Checks before anything runs that every patch applies to its kernel's tree (exit 2 naming
    /// the file and the failing hunks); a check that cannot be made is left to the column, which
    /// then fails with the reason (exit 3 after the simulated results).
    static func checkPatchesApply(_ kernels: [KernelTarget]) throws {
        let (problems, _) = KernelTarget.checkApplies(kernels)
        guard problems.isEmpty else { throw BadInput(problems.joined(separator: "\n")) }
    }

    /// The real-kernel columns of `e`: runs for the report and JSON (tagged `kernel`), notes for
    /// kernels without a column, and whether any kernel failed to run.
    static func kernelColumns(_ e: Experiment, kernels: [KernelTarget])
        -> (runs: [RunResult], notes: [String], failed: Bool) {
        var runs: [RunResult] = [], notes: [String] = [], failed = false
        // No --kernel: no column, and no program to build. Every `run` generated the first
        // seed's whole program here (and hashed it) even without a kernel: a second generation
        // per experiment in `make run`, and O(events) memory for a streamed trace (issue 25:
        // 355 MB peak RSS for a 10⁷-event replay whose run needs 72 MB).
        guard !kernels.isEmpty else { return (runs, notes, failed) }
        // The seeded stream of the column's seed (the experiment's first): generated phases run
        // on the kernel too when the driver can run them (KernelRunPlan+Program.swift).
        let program = WorkloadGenerator.generate(e, seed: e.seeds.first ?? 1).program
        for k in kernels {
            // The x86_64 pc kernel runs the experiment's memory hotplug too (KernelRunPlan+Hotplug.swift).
            let plan = KernelRunPlan(e, program: program, hotplug: k.machine == "pc")
            let outcome: KernelColumn.Outcome
            do {
                let runner: OracleRunner
                do { runner = try k.runner() } catch {
                    throw KernelColumn.NoColumn(reason: "kernel \(k) cannot run here: \(error.reason)", failed: true)
                }
                outcome = try KernelColumn(series: k.series, runner: runner).run(plan, program: program)
            } catch let no as KernelColumn.NoColumn {
                notes.append("kernel \(k): no column: \(no.reason)")
                if no.failed { printError("\(e.name): --kernel \(k): \(no.reason)"); failed = true }
                continue
            } catch { notes.append("kernel \(k): no column: \(error)"); failed = true; continue }
            runs.append(kernelRun(outcome, target: k, seed: e.seeds.first ?? 1))
        }
        return (runs, notes, failed)
    }

    /// The column as a run: variant `kernel VERSION (UML)` or `kernel VERSION + NAME (UML)`, the
    /// experiment's first seed (so the ops table shows it), only the measured metrics.
    static func kernelRun(_ o: KernelColumn.Outcome, target: KernelTarget, seed: UInt64) -> RunResult {
        let ops = o.metrics.ops.map { OpOutcome(index: $0.index, op: $0.op, result: $0.result, detail: $0.detail) }
        let patchNote = target.patch.map {
            ["Patched kernel: \($0.path) (sha256 \($0.sha256)) applied with patch -p1 to Debian's tree after buddylab's own patches (scripts/oracle/build-patched)."]
        } ?? []
        let tag = RealKernelRun(series: target.series, version: o.version,
                                notes: patchNote + o.notes + ["\(o.commands) driver commands in one boot."],
                                notRun: o.notRun.map(\.description),
                                patch: target.patch.map { RealKernelRun.Patch(file: $0.path, sha256: $0.sha256) })
        return RunResult(variant: target.label(version: o.version), seed: seed, workloadSHA256: o.commandsSHA256,
                         metrics: o.metrics.metrics, ops: ops, faults: [], kernel: tag)
    }
}
