import BuddyCore
import BuddyResults
import BuddyVariants
import Dispatch
import Foundation

/// Runs every selected variant on every seed of an experiment, in parallel, with output in a
/// fixed order.
///
/// Tasks are (variant, seed) pairs. Workers take them seed by seed, so the one program each seed
/// needs is generated once, shared by that seed's variants (programs are immutable `Sendable`
/// values) and dropped when its last variant finishes: at most about `jobs` programs are alive.
/// Results go to the slot of their task, so the output order — registry order of variants, then
/// seeds as the experiment lists them — never depends on `jobs` or on scheduling.
public struct ExperimentRunner: Sendable {
    /// Concurrent workers (at least 1).
    public var jobs: Int
    /// Structural check interval in events, or nil for `defaultCheckInterval(for:)`.
    public var checkEvery: Int?
    /// Trace workloads of at least this many events are streamed (`WorkloadGenerator`).
    public var streamingThreshold = WorkloadGenerator.streamingThreshold

    /// - Parameters:
    ///   - jobs: workers; default: the number of active processors.
    ///   - checkEvery: run the engine's structural checker every this many events (0: only at the
    ///     end); default: `defaultCheckInterval(for:)`.
    public init(jobs: Int? = nil, checkEvery: Int? = nil) {
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.checkEvery = checkEvery
    }

    /// The checker walks every page, so its cost grows with the machine: checking every
    /// `max(100 000, total pages)` events keeps it to at most about one extra page-walk per
    /// event-walk of the same size (a small share of the run), while still catching corruption
    /// close to the event that caused it. The final state is always checked as well.
    public static func defaultCheckInterval(for layout: MachineLayout) -> Int {
        max(100_000, layout.totalPages)
    }

    /// Runs `experiment.variants` × `experiment.seeds`.
    /// - Parameters:
    ///   - progress: called after each finished run with (done, total), serially, from a worker
    ///     thread; the CLI decides whether to print it.
    ///   - events: called from worker threads, concurrently, with a number of events simulated
    ///     since the last call (`RunOptions.onEvents`): progress inside long runs.
    public func run(_ experiment: Experiment,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    events: (@Sendable (Int) -> Void)? = nil) -> ExperimentRun {
        let variants = experiment.variants.compactMap(Variants.named)
        let seeds = experiment.seeds
        let options = RunOptions(checkEvery: checkEvery ?? Self.defaultCheckInterval(for: experiment.machine.layout),
                                 onEvents: events)
        let board = RunBoard(variantCount: variants.count, seedCount: seeds.count)
        let start = ContinuousClock.now
        let workers = min(jobs, max(1, board.total))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var options = options
            options.frameBuffers = FrameBufferCache()
            while let task = board.take() {
                let workload = board.workload(seedIndex: task.seed) {
                    options.frameBuffers?.releaseAll()   // see FrameBufferCache.releaseAll
                    return WorkloadGenerator.generate(experiment, seed: seeds[task.seed], streamingFrom: streamingThreshold)
                }
                let variant = variants[task.variant]
                let began = ContinuousClock.now
                let raw = TraceMetrics.merged(variant.run(workload.program, options), workload)
                let seconds = Self.seconds(ContinuousClock.now - began)
                let result = RunResult(variant: variant.id, seed: seeds[task.seed],
                                       workloadSHA256: workload.sha256, raw: raw, wallSeconds: seconds)
                let report = raw.violations.isEmpty ? nil
                    : InvariantReport(variant: variant.id, seed: seeds[task.seed], messages: raw.violations)
                board.finish(task, result: result, violations: report, progress: progress)
            }
        }
        let wall = Self.seconds(ContinuousClock.now - start)
        let runs = board.results()
        let events = runs.reduce(0) { $0 + ($1.metrics["events"] ?? 0) }
        return ExperimentRun(runs: runs, totalEvents: events, wallSeconds: wall,
                             violations: board.violationReports())
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// What `ExperimentRunner.run` returns.
public struct ExperimentRun: Sendable {
    /// One result per (variant, seed): variants in registry order, then seeds in experiment order.
    public var runs: [RunResult]
    /// Events executed over all runs.
    public var totalEvents: Int
    /// Wall time of the whole run (generation included), in seconds.
    public var wallSeconds: Double
    /// Structural violations the engine found (the `invariant_violations` metric counts them);
    /// empty when the simulator is sound. In result order.
    public var violations: [InvariantReport]

    /// Overall throughput: `totalEvents / wallSeconds`.
    public var eventsPerSecond: Double { wallSeconds > 0 ? Double(totalEvents) / wallSeconds : 0 }
}

/// The first structural violations of one run, for the CLI to print to stderr.
public struct InvariantReport: Sendable, Equatable {
    public var variant: String
    public var seed: UInt64
    public var messages: [String]
}
