import BuddyCore
import BuddyExperiment
import BuddyVariants

/// Which scripted ops of a real-kernel column ran under other preconditions than in the
/// simulation: the kernel's zone is not the experiment's machine (its size, its own pages), so
/// the same seeded request stream can fail on one and succeed on the other; an op after such a
/// request does not act on the same state and is marked instead of shown side by side.
enum KernelPreconditions {
    /// Marks (result in parentheses, detail says why) every op after the first allocation request
    /// whose outcome differs between the kernel's log and `variant` stepping `program`.
    /// - Returns: the number of ops marked.
    static func mark(_ metrics: inout KernelRunMetrics, planned: [KernelRunPlan.PlannedCommand], log: OracleLog,
                     program: Program, variant: Variant) -> Int {
        // The simulated outcome of every allocation request.
        var simulated: [Int32: Bool] = [:]
        let stepper = variant.stepper(program, RunOptions())
        for ev in program.events {
            let o = stepper.step()
            if case let .alloc(request, _, _, _, _, _) = ev.op { simulated[request] = o.result == "ok" }
        }
        // The first command after which an earlier request had another outcome on the kernel.
        var firstDiffer: (command: Int, request: Int32)?
        for (i, (p, step)) in zip(planned, log.steps).enumerated() {
            guard let r = p.request, let sim = simulated[r] else { continue }
            if (step.result.status == "ok") != sim { firstDiffer = (i, r); break }
        }
        guard let first = firstDiffer else { return 0 }
        var after = Set<Int>()
        for (i, p) in planned.enumerated() where i > first.command { if let op = p.resultOf { after.insert(op) } }
        var n = 0
        for i in metrics.ops.indices where after.contains(metrics.ops[i].index) {
            metrics.ops[i].result = "(\(metrics.ops[i].result))"
            metrics.ops[i].detail = "preconditions differ: generated request \(first.request) had another outcome on the kernel than in \(variant.id); "
                + (metrics.ops[i].detail ?? "")
            n += 1
        }
        return n
    }
}
