import BuddyCore
import BuddyExperiment
import BuddyOracle
import Foundation
import Testing

/// The real-kernel column with generated phases (issue 24) without booting: the seeded stream as
/// driver commands against a model of a recorded 6.1.192 boot, the batch bound, the fallback
/// for phases the driver cannot run, and the marking of ops whose preconditions differed.
@Suite struct KernelProgramPlanTests {
    static let logName = "kernel-6.1-neighbour-unmovable-cma64M.log"

    func experiment(_ yaml: String) throws -> Experiment {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-program-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Experiment.load(contentsOf: path)
    }

    static func yaml(fill: String = "60%", churn: Int = 200, extra: String = "") -> String {
        """
        schema: 1
        name: kernel-program
        description: generated phases on the kernel
        machine:
          preset: x86_64
          memory_block: 4MiB
          zones:
            - { name: Normal, size: 8MiB }
        variants: [linux-6.1]
        seeds: 1
        workload:
          - fill:  { until: \(fill), mix: { movable: 80%, unmovable: 20% }, orders: { 0: 90%, 3: 10% } }
          - churn: { events: \(churn), mix: { movable: 100% }, orders: { 0: 100% }, free_ratio: 50% }
        \(extra)
          - ops:
              - watermark: { zone: Normal, mark: high }
        """
    }

    /// Every event of the stream becomes one command (an alloc for each request, a free for each
    /// free of a request the model's kernel granted), the scripted op in its place at the end.
    @Test func streamBecomesCommands() throws {
        let e = try experiment(Self.yaml())
        let program = WorkloadGenerator.generate(e, seed: 1).program
        let plan = KernelRunPlan(e, program: program)
        #expect(plan.notRun.isEmpty)
        var allocs = 0, frees = 0
        for ev in program.events {
            if case .alloc = ev.op { allocs += 1 }
            if case .free = ev.op { frees += 1 }
        }
        #expect(plan.generatedEvents == allocs + frees)
        let model = try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: try Fixture.log(Self.logName))
        let (planned, skipped) = plan.commands(offset: 0, against: model)
        #expect(skipped.isEmpty)
        // On the 512 MiB kernel every request of an 8 MiB machine's fill succeeds: every free is sent.
        #expect(planned.count == allocs + frees + 1)
        #expect(planned.filter { if case .alloc = $0.command { return true }; return false }.count == allocs)
        #expect(planned.last?.command.text == "watermark high 0" && planned.last?.resultOf == 0)
        #expect(planned.dropLast().allSatisfy { $0.generated && $0.resultOf == nil })
        #expect(planned.compactMap(\.request).count == allocs)
    }

    /// A stream longer than one batch holds keeps the phases off the kernel, saying why.
    @Test func boundedBatch() throws {
        let e = try experiment(Self.yaml(churn: 20_000))
        let plan = KernelRunPlan(e, program: WorkloadGenerator.generate(e, seed: 1).program)
        #expect(plan.generatedEvents == 0)
        #expect(plan.notRun.map(\.what) == ["phase 1 fill", "phase 2 churn"])
        #expect(plan.notRun.allSatisfy { $0.reason.contains("above the 10000 one batch holds with a snapshot after every command") })
    }

    /// A phase the driver has no command for (offline: UML has no hotplug) keeps the ops-only plan.
    @Test func unsupportedPhaseFallsBack() throws {
        let e = try experiment(Self.yaml(extra: "  - offline: { blocks: [1] }"))
        let plan = KernelRunPlan(e, program: WorkloadGenerator.generate(e, seed: 1).program)
        #expect(plan.generatedEvents == 0)
        #expect(plan.notRun.contains { $0.what == "phase 1 fill" })
    }
}
