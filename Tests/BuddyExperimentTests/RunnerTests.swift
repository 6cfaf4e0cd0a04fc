import BuddyExperiment
import BuddyResults
import Foundation
import Testing

@Suite struct RunnerTests {
    let experiment: Experiment

    init() throws {
        experiment = try Experiment.decode(yaml: tinyExperimentYAML, file: "tiny.yaml")
    }

    /// Encoded results with the timing fields removed: what must be byte-identical between runs.
    private func canonical(_ runs: [RunResult]) throws -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try runs.map { run in
            var copy = run
            copy.timing = nil
            return try encoder.encode(copy)
        }
    }

    @Test func outputIsIdenticalForOneAndTwoJobs() throws {
        let one = ExperimentRunner(jobs: 1).run(experiment)
        let two = ExperimentRunner(jobs: 2).run(experiment)
        #expect(try canonical(one.runs) == canonical(two.runs))
        #expect(one.runs.map(\.variant) == ["linux-3.5", "linux-3.5", "linux-5.18", "linux-5.18", "linux-5.19", "linux-5.19"])
        #expect(one.runs.map(\.seed) == [3, 1, 3, 1, 3, 1])
        #expect(one.totalEvents == one.runs.reduce(0) { $0 + ($1.metrics["events"] ?? 0) })
        #expect(one.violations.isEmpty)
    }

    @Test func everyVariantOfASeedSeesTheSameWorkload() {
        let result = ExperimentRunner(jobs: 2).run(experiment)
        for seed in experiment.seeds {
            let hashes = Set(result.runs.filter { $0.seed == seed }.map(\.workloadSHA256))
            #expect(hashes.count == 1)
            #expect(hashes.first == WorkloadGenerator.generate(experiment, seed: seed).sha256)
        }
        #expect(Set(result.runs.map(\.workloadSHA256)).count == experiment.seeds.count)
    }

    @Test func runResultsCarryOpsExtrasAndTiming() throws {
        let progress = ProgressLog()
        let result = ExperimentRunner(jobs: 2).run(experiment) { done, total in
            progress.append(done)
            #expect(total == 6)
        }
        #expect(progress.values == [1, 2, 3, 4, 5, 6])
        let run = try #require(result.runs.first)
        #expect(run.ops.map(\.index) == [0, 1, 2, 3, 4])
        #expect(run.ops.map(\.op) == ["isolate", "watermark", "unisolate", "alloc", "free"])
        #expect(run.metrics["invariant_violations"] == 0)
        #expect(run.metrics["contig_attempts"] == 4)
        #expect(run.extras?.pageblockMap.keys.sorted() == ["Movable", "Normal"])
        #expect(run.extras?.series["nr_free_pages_drift"]?.count == 2)
        #expect(run.timing?["wall_seconds"] != nil)
        #expect(run.timing?["events_per_second"] != nil)
    }

    @Test func smokeExperimentMeetsItsExpectationsOnEveryVariant() throws {
        let smoke = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("smoke.yaml").path)
        let result = ExperimentRunner(jobs: 2).run(smoke)
        let outcomes = Expectations.evaluate(smoke.expectations, runs: result.runs)
        for outcome in outcomes { #expect(outcome.passed, "\(outcome.text): \(outcome.detail ?? "")") }
    }
}

/// Collects progress callbacks; `@unchecked Sendable` because `values` is only touched under `lock`.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int] = []
    func append(_ value: Int) { lock.withLock { log.append(value) } }
    var values: [Int] { lock.withLock { log } }
}
