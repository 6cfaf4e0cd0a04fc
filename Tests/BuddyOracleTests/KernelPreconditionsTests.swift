import BuddyCore
import BuddyExperiment
@testable import BuddyOracle
import Foundation
import Testing

/// Ops of a real-kernel column that ran after an allocation request had another outcome on the
/// kernel than in the simulation are marked, not shown side by side (issue 24).
@Suite struct KernelPreconditionsTests {
    /// A log answering `planned` with `ok` (handles in order), except `enomem` for command `failing`.
    func log(_ planned: [KernelRunPlan.PlannedCommand], failing: Int?) throws -> OracleLog {
        var l = try Fixture.log("kernel-6.1-neighbour-unmovable-cma64M.log")
        var handle = 0
        l.steps = planned.enumerated().map { i, p in
            var r = OracleResult("ok")
            if i == failing { r = OracleResult("enomem") }
            else if case .alloc = p.command { r = OracleResult("ok", handle: handle, pfn: 0x1000 + i); handle += 1 }
            return OracleStep(index: i + 1, command: p.command, result: r, state: l.initial, line: 0, bench: [])
        }
        return l
    }

    func setup() throws -> (KernelRunPlan, Program, [KernelRunPlan.PlannedCommand]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-pre-\(UUID().uuidString).yaml").path
        try KernelProgramPlanTests.yaml().write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let e = try Experiment.load(contentsOf: path)
        let program = WorkloadGenerator.generate(e, seed: 1).program
        let plan = KernelRunPlan(e, program: program)
        let model = try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: try Fixture.log("kernel-6.1-neighbour-unmovable-cma64M.log"))
        return (plan, program, plan.commands(offset: 0, against: model).commands)
    }

    @Test func sameOutcomesMarkNothing() throws {
        let (plan, program, planned) = try setup()
        let l = try log(planned, failing: nil)
        var m = try KernelRunMetrics(log: l, commands: planned, skippedFrees: []) { plan.keyword(ofOp: $0) ?? "op" }
        #expect(KernelPreconditions.mark(&m, planned: planned, log: l, program: program, variant: try Fixture.variant("linux-6.1")) == 0)
        #expect(m.ops.map(\.result) == ["ok"])
    }

    /// The 3rd allocation request fails on the kernel and succeeds in linux-6.1 on the 8 MiB
    /// machine: the watermark op after it is shown as `(ok)` with the request named.
    @Test func aDifferentOutcomeMarksLaterOps() throws {
        let (plan, program, planned) = try setup()
        let third = try #require(planned.indices.filter { planned[$0].request != nil }.dropFirst(2).first)
        let l = try log(planned, failing: third)
        var m = try KernelRunMetrics(log: l, commands: planned, skippedFrees: []) { plan.keyword(ofOp: $0) ?? "op" }
        #expect(m.metrics["alloc_failures"] == 1)
        #expect(KernelPreconditions.mark(&m, planned: planned, log: l, program: program, variant: try Fixture.variant("linux-6.1")) == 1)
        #expect(m.ops.map(\.result) == ["(ok)"])
        let request = try #require(planned[third].request)
        #expect(m.ops.first?.detail?.hasPrefix("preconditions differ: generated request \(request) had another outcome on the kernel than in linux-6.1; ") == true)
    }
}
