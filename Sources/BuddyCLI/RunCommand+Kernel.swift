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
    static let kernelSeries = ["6.1", "6.12"]

    /// The `--kernel` values, repeated and/or comma-separated, in the order written.
    /// - Throws: `BadInput` naming the flag for an unknown series, an empty entry or a duplicate.
    static func parseKernels(_ values: [String]) throws -> [String] {
        var out: [String] = []
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let k = item.trimmingCharacters(in: .whitespaces)
                guard kernelSeries.contains(k) else {
                    throw BadInput("--kernel '\(value)': '\(k)' is not a kernel series (\(kernelSeries.joined(separator: " or ")))")
                }
                guard !out.contains(k) else { throw BadInput("--kernel: '\(k)' is given twice") }
                out.append(k)
            }
        }
        return out
    }

    /// The real-kernel columns of `e`: runs for the report and JSON (tagged `kernel`), notes for
    /// kernels without a column, and whether any kernel failed to run.
    static func kernelColumns(_ e: Experiment, kernels: [String])
        -> (runs: [RunResult], notes: [String], failed: Bool) {
        var runs: [RunResult] = [], notes: [String] = [], failed = false
        let plan = KernelRunPlan(e)
        for k in kernels {
            let outcome: KernelColumn.Outcome
            do {
                let runner: OracleRunner
                do { runner = try OracleRunner.locate(kernel: k) } catch {
                    throw KernelColumn.NoColumn(reason: "kernel \(k) cannot run here: \(error.reason)", failed: true)
                }
                outcome = try KernelColumn(series: k, runner: runner).run(plan)
            } catch let no as KernelColumn.NoColumn {
                notes.append("kernel \(k): no column: \(no.reason)")
                if no.failed { printError("\(e.name): --kernel \(k): \(no.reason)"); failed = true }
                continue
            } catch { notes.append("kernel \(k): no column: \(error)"); failed = true; continue }
            runs.append(kernelRun(outcome, series: k, seed: e.seeds.first ?? 1))
        }
        return (runs, notes, failed)
    }

    /// The column as a run: variant `kernel VERSION (UML)`, the experiment's first seed (so the
    /// ops table shows it), only the measured metrics.
    static func kernelRun(_ o: KernelColumn.Outcome, series: String, seed: UInt64) -> RunResult {
        let ops = o.metrics.ops.map { OpOutcome(index: $0.index, op: $0.op, result: $0.result, detail: $0.detail) }
        let tag = RealKernelRun(series: series, version: o.version,
                                notes: o.notes + ["\(o.commands) driver commands in one boot."],
                                notRun: o.notRun.map(\.description))
        return RunResult(variant: "kernel \(o.version) (UML)", seed: seed, workloadSHA256: o.commandsSHA256,
                         metrics: o.metrics.metrics, ops: ops, faults: [], kernel: tag)
    }
}
