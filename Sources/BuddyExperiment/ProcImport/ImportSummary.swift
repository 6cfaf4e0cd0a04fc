import BuddyTrace

/// What `validate` says about an experiment's real-world inputs: each trace phase's counts and
/// the `/proc` import's notes (nothing for an experiment without either).
public enum ImportSummary {
    public static func lines(_ e: Experiment) -> [String] {
        var out: [String] = []
        func visit(_ phases: [WorkloadPhase]) {
            for phase in phases {
                switch phase {
                case .trace(let t):
                    let counts = TraceEventKind.allCases.map { "\($0.name) \(t.stats.count($0))" }.joined(separator: ", ")
                    out.append("trace \(t.file) (\(t.mode.rawValue)): \(t.stats.lines) lines; \(counts); "
                               + "\(t.stats.lostEventMarkers) lost-event markers")
                case .repeatSteps(_, let steps): visit(steps)
                default: break
                }
            }
        }
        visit(e.workload)
        if let p = e.machine.procImport {
            let free = p.state.freeBlocks.reduce(0) { $0 + (1 << $1.order) }
            out.append("from_proc: \(e.machine.layout.zones.count) zones, \(p.state.freeBlocks.count) free blocks "
                       + "(\(free) pages), \(p.state.offlineBlocks.count) offline memory blocks of "
                       + "\(e.machine.layout.memoryBlockPages) pages")
            out += p.notes.map { "from_proc: \($0)" }
        }
        return out
    }
}
