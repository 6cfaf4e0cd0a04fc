import BuddyCore
import BuddyResults
import BuddyVariants
import Dispatch
import Foundation

/// Runs an explicit list of (point, seed, variant) tasks — a sweep, or one shard of it — in
/// parallel, with results in task order.
///
/// The generalisation of `ExperimentRunner` to several points and to task lists that are not a
/// full variants × seeds grid (a shard). As there, a (point, seed)'s program is generated once by
/// the first worker that needs it, shared by that pair's variants and dropped after its last task,
/// and each result goes to its task's slot, so the output never depends on `jobs`.
public struct SweepRunner: Sendable {
    public var jobs: Int
    public var checkEvery: Int?
    /// Trace workloads of at least this many events are streamed (`WorkloadGenerator`).
    public var streamingThreshold = WorkloadGenerator.streamingThreshold

    public init(jobs: Int? = nil, checkEvery: Int? = nil) {
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.checkEvery = checkEvery
    }

    /// Runs `tasks` over `points` (every point has the same `variants` and `seeds`). Each result
    /// carries its point's `RunPoint` (nil for an experiment without `sweep:`).
    /// - Parameters: `progress` and `events` as in `ExperimentRunner.run`.
    public func run(points: [Experiment], tasks: [SweepTask],
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    events: (@Sendable (Int) -> Void)? = nil) -> SweepRun {
        guard let first = points.first else { return SweepRun(results: [], totalEvents: 0, wallSeconds: 0, violations: []) }
        let variants = first.variants.compactMap(Variants.named)
        let seeds = first.seeds
        let board = SweepBoard(tasks: tasks)
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, tasks.count))) { _ in
            let frameBuffers = FrameBufferCache()
            while let (slot, task) = board.take() {
                let experiment = points[task.point]
                let workload = board.workload(task) {
                    frameBuffers.releaseAll()   // see FrameBufferCache.releaseAll
                    return WorkloadGenerator.generate(experiment, seed: seeds[task.seed], streamingFrom: streamingThreshold)
                }
                var options = RunOptions(checkEvery: checkEvery
                    ?? ExperimentRunner.defaultCheckInterval(for: experiment.machine.layout), onEvents: events)
                options.frameBuffers = frameBuffers
                let variant = variants[task.variant]
                let began = ContinuousClock.now
                let raw = variant.run(workload.program, options)
                let seconds = ExperimentRunner.seconds(ContinuousClock.now - began)
                var result = RunResult(variant: variant.id, seed: seeds[task.seed],
                                       workloadSHA256: workload.sha256, raw: raw, wallSeconds: seconds)
                result.point = experiment.point
                let report = raw.violations.isEmpty ? nil
                    : InvariantReport(variant: variant.id, seed: seeds[task.seed], messages: raw.violations)
                board.finish(slot, task, result: result, violations: report, progress: progress)
            }
        }
        let wall = ExperimentRunner.seconds(ContinuousClock.now - start)
        let results = board.results()
        let events = results.reduce(0) { $0 + ($1.run.metrics["events"] ?? 0) }
        return SweepRun(results: results, totalEvents: events, wallSeconds: wall, violations: board.violationReports())
    }
}

/// What `SweepRunner.run` returns.
public struct SweepRun: Sendable {
    /// One result per task, in the order of the task list given.
    public var results: [(task: SweepTask, run: RunResult)]
    public var totalEvents: Int
    public var wallSeconds: Double
    public var violations: [InvariantReport]

    public var eventsPerSecond: Double { wallSeconds > 0 ? Double(totalEvents) / wallSeconds : 0 }
}

/// The sweep runner's shared state. `@unchecked Sendable`: every mutable field is touched only
/// under `lock` (a program slot under its own lock), as in `RunBoard`.
final class SweepBoard: @unchecked Sendable {
    private struct ProgramKey: Hashable { let point: Int; let seed: Int }

    private final class ProgramSlot: @unchecked Sendable {
        let lock = NSLock()
        var workload: GeneratedWorkload?
        var remaining: Int
        init(remaining: Int) { self.remaining = remaining }
    }

    private let lock = NSLock()
    private let progressLock = NSLock()
    private let tasks: [SweepTask]
    private var next = 0
    private var done = 0
    private var programs: [ProgramKey: ProgramSlot] = [:]
    private var resultSlots: [RunResult?]
    private var violationSlots: [InvariantReport?]

    init(tasks: [SweepTask]) {
        self.tasks = tasks
        var counts: [ProgramKey: Int] = [:]
        for t in tasks { counts[ProgramKey(point: t.point, seed: t.seed), default: 0] += 1 }
        programs = counts.mapValues { ProgramSlot(remaining: $0) }
        resultSlots = Array(repeating: nil, count: tasks.count)
        violationSlots = Array(repeating: nil, count: tasks.count)
    }

    func take() -> (Int, SweepTask)? {
        lock.lock(); defer { lock.unlock() }
        guard next < tasks.count else { return nil }
        defer { next += 1 }
        return (next, tasks[next])
    }

    func workload(_ task: SweepTask, generate: () -> GeneratedWorkload) -> GeneratedWorkload {
        let slot = lock.withLock { self.slot(task) }
        slot.lock.lock(); defer { slot.lock.unlock() }
        if let w = slot.workload { return w }
        let w = generate()
        slot.workload = w
        return w
    }

    func finish(_ index: Int, _ task: SweepTask, result: RunResult, violations: InvariantReport?,
                progress: (@Sendable (Int, Int) -> Void)?) {
        let slot: ProgramSlot
        let count: Int
        lock.lock()
        resultSlots[index] = result
        violationSlots[index] = violations
        slot = self.slot(task)
        done += 1
        count = done
        lock.unlock()
        slot.lock.withLock {
            slot.remaining -= 1
            if slot.remaining == 0 { slot.workload = nil }
        }
        if let progress { progressLock.withLock { progress(count, tasks.count) } }
    }

    /// The program slot of `task` (created in `init` for every task's (point, seed)); call under `lock`.
    private func slot(_ task: SweepTask) -> ProgramSlot {
        guard let slot = programs[ProgramKey(point: task.point, seed: task.seed)] else {
            preconditionFailure("SweepBoard: no program slot for \(task)")
        }
        return slot
    }

    func results() -> [(task: SweepTask, run: RunResult)] {
        lock.withLock { zip(tasks, resultSlots).compactMap { t, r in r.map { (t, $0) } } }
    }

    func violationReports() -> [InvariantReport] { lock.withLock { violationSlots.compactMap { $0 } } }
}
