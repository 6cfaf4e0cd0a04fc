import BuddyCore
import BuddyExperiment

/// An experiment's `ops:` script as driver commands. Handles are the kernel's (issued on
/// success only), so a named free is resolved against a model of the kernel's state: the
/// script is checked up front (`validate`), then turned into commands against the model of the
/// probe boot (`commands(against:)`).
public struct ExperimentCommands {
    enum Step {
        case plain(OracleCommand)
        case alloc(order: Int, type: AllocType, name: String?)
        case free(name: String)
        /// `contig` without `hold`: freed right after a success, as the simulator's op does.
        case contigThenFree(pfn: Int, pages: Int)
    }
    var steps: [Step] = []

    /// Checks that every phase and op can run on a real kernel through the driver.
    /// - Throws: a message naming file:line of the first op (or the phase) that cannot.
    public init(_ e: Experiment) throws(OracleParseProblem) {
        for phase in e.workload {
            guard case let .ops(ops) = phase else {
                throw OracleParseProblem("\(e.file): phase \(Self.phaseName(phase)) is not run on a real kernel: only ops: scripts can be (fill/churn/contig/cma/hotplug phases have no driver command)")
            }
            for op in ops {
                let at = "\(e.file):\(op.line)"
                switch op.kind {
                case let .alloc(pfn, order, type, _, _, name, gfp):
                    guard pfn == nil else { throw OracleParseProblem("\(at): alloc at an exact pfn is not run on a real kernel (the driver cannot choose where alloc_pages lands)") }
                    guard gfp == nil else { throw OracleParseProblem("\(at): alloc with gfp: is not run on a real kernel yet (the driver allocates with its own mask)") }
                    steps.append(.alloc(order: order, type: type, name: name))
                case let .free(name): steps.append(.free(name: name))
                case let .isolate(start, pages): steps.append(.plain(.isolate(pfn: start, pages: pages, offline: false)))
                case let .unisolate(start, pages): steps.append(.plain(.unisolate(pfn: start, pages: pages)))
                case let .contig(start, pages, hold):
                    steps.append(hold ? .plain(.contig(pfn: start, pages: pages)) : .contigThenFree(pfn: start, pages: pages))
                case let .watermark(_, mark, order): steps.append(.plain(.watermark(mark: mark, order: order)))
                case .sample: continue
                case .cmaDeclare: throw OracleParseProblem("\(at): cma_declare is not run on a real kernel (the driver's area is reserved at boot: --cma)")
                case .reserveHighatomic: throw OracleParseProblem("\(at): reserve_highatomic is not run on a real kernel (the driver has no command that reserves a HIGHATOMIC block)")
                case let .compact(_, order, _):
                    // The driver's direct compaction captures and allocates its page (compact_zone_order
                    // always passes a capture_control); the op's attempt takes no page.
                    guard order == nil else { throw OracleParseProblem("\(at): compact with order: is not run on a real kernel (the driver's direct compaction captures and allocates the page; the op does not)") }
                    steps.append(.plain(.compact))
                case .offline, .online: throw OracleParseProblem("\(at): memory hotplug is not run on a real kernel (User-Mode Linux has no SPARSEMEM hotplug)")
                }
            }
        }
        guard !steps.isEmpty else { throw OracleParseProblem("\(e.file): no op to run") }
    }

    static func phaseName(_ p: WorkloadPhase) -> String {
        switch p {
        case .fill: "fill"
        case .churn: "churn"
        case .contig: "contig"
        case .cmaAlloc: "cma_alloc"
        case .cmaRelease: "cma_release"
        case .offline: "offline"
        case .online: "online"
        case .repeatSteps: "repeat"
        case .ops: "ops"
        case .trace: "trace"
        case .age: "age"
        }
    }

    /// The driver commands, each applied to `model` so named frees get the kernel's handle.
    /// A free of a request that failed in the model is left out (the simulator's op is a no-op).
    public func commands(against model: any KernelModel) -> [OracleCommand] {
        var out: [OracleCommand] = []
        var names: [String: Int] = [:]
        func run(_ c: OracleCommand) -> OracleResult { out.append(c); return model.apply(c) }
        for s in steps {
            switch s {
            case let .plain(c): _ = run(c)
            case let .alloc(order, type, name):
                let r = run(.alloc(order: order, type: type))
                if let name, let h = r.handle { names[name] = h }
            case let .free(name):
                if let h = names.removeValue(forKey: name) { _ = run(.free(handle: h)) }
            case let .contigThenFree(pfn, pages):
                if let h = run(.contig(pfn: pfn, pages: pages)).handle { _ = run(.free(handle: h)) }
            }
        }
        return out
    }
}
