import BuddyCore
import BuddyExperiment

/// The real-kernel column with the experiment's generated phases (fill, churn, contig): the same
/// seeded request stream the simulated variants run — allocations by order, type and gfp words,
/// frees of named requests, contig attempts at (relocated) pfns — as driver commands, with the
/// scripted ops in their place in the stream.
///
/// Every driver command is followed by a snapshot of the whole zone in the guest's log buffer
/// (PROTOCOL.md), so a batch is bounded: above `maxCommands` the generated phases stay "not run"
/// with the reason (a driver mode without per-command snapshots would lift it).
extension KernelRunPlan {
    /// Largest batch with generated phases: 10,010 commands is the largest batch run so far
    /// (docs/oracle.md), ≈ 14 KB of log per snapshot at 512 MiB.
    public static let maxCommands = 10_000

    /// Phase kinds whose events the driver can run.
    static func runnable(_ p: WorkloadPhase) -> Bool {
        switch p {
        case .fill, .churn, .contig, .ops: true
        default: false
        }
    }

    /// The plan for `program` (the experiment's stream for one seed). Falls back to the
    /// scripted ops alone (`init(_:)`) when a phase is not fill/churn/contig/ops, or when the
    /// stream is longer than `maxCommands`, saying why in `notRun`.
    public init(_ e: Experiment, program: Program, hotplug: Bool = false) {
        self.init(e, hotplug: hotplug)
        guard e.workload.contains(where: { if case .ops = $0 { return false }; return true }) else { return }
        guard e.workload.allSatisfy(Self.runnable) else { return }
        var byIndex: [Int: PlannedOp] = [:]
        for op in ops { byIndex[op.index] = op }
        var planned: [PlannedOp] = [], skippedGfp = 0, skippedOther = 0
        var unrunRequests = Set<Int32>()
        for ev in program.events {
            if ev.script >= 0 {
                if let op = byIndex[Int(ev.script)] { planned.append(op) }
                continue
            }
            switch ev.op {
            case let .alloc(request, order, type, _, compound, gfp):
                var words: OracleGFP = compound == true ? [.comp] : []
                if let gfp {
                    // Only what the driver's mask can carry (OracleGFP): no reclaim bits.
                    let expressible: GFPMask = [.movable, .reclaimable, .high, .comp, .nowarn, .noretry]
                    guard gfp.subtracting(expressible).isEmpty else { skippedGfp += 1; unrunRequests.insert(request); continue }
                    if gfp.contains(.high) { words.insert(.high) }
                    if gfp.contains(.comp) { words.insert(.comp) }
                }
                planned.append(PlannedOp(index: -1, keyword: "alloc", step: .allocRequest(request: request, order: Int(order), type: type, gfp: words), usesPfn: false))
            case let .free(request):
                if unrunRequests.contains(request) { continue }
                planned.append(PlannedOp(index: -1, keyword: "free", step: .freeRequest(request: request), usesPfn: false))
            case let .contig(start, pages, hold):
                planned.append(PlannedOp(index: -1, keyword: "contig", step: .contigRequest(pfn: start, pages: pages, hold: hold), usesPfn: true,
                                         what: "generated contig \(start)+\(pages)"))
            case .sample: continue
            default: skippedOther += 1
            }
        }
        // A contig without hold is two commands on success: count it as two.
        let estimate = planned.reduce(0) { n, op in
            if case let .contigRequest(_, _, hold) = op.step, !hold { return n + 2 }
            return n + 1
        }
        notRun.removeAll { nr in nr.what.hasPrefix("phase ") }
        guard estimate <= Self.maxCommands else {
            for (p, phase) in e.workload.enumerated() where !Self.isOps(phase) {
                notRun.append(NotRun(what: "phase \(p + 1) \(ExperimentCommands.phaseName(phase))",
                                     reason: "the seeded stream is \(estimate) driver commands, above the \(Self.maxCommands) one batch holds with a snapshot after every command"))
            }
            notRun.sort { $0.what < $1.what }
            return
        }
        ops = planned
        generatedEvents = planned.filter { $0.index < 0 }.count
        if skippedGfp > 0 {
            notRun.append(NotRun(what: "\(skippedGfp) generated allocations (and their frees)",
                                 reason: "their gfp mask has bits the driver cannot pass (it never reclaims: only __GFP_HIGH and __GFP_COMP)"))
        }
        if skippedOther > 0 { notRun.append(NotRun(what: "\(skippedOther) other generated events", reason: "the driver has no command for them")) }
    }

    static func isOps(_ p: WorkloadPhase) -> Bool { if case .ops = p { return true }; return false }
}
