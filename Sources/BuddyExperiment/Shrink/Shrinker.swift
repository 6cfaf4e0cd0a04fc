import BuddyCore
import BuddyVariants

/// `buddylab shrink`: the experiment's program for one seed (synthetic phases already expanded
/// into their events by `WorkloadGenerator`), reduced by ddmin to a minimal list of events after
/// which `condition` still holds for `variant`, written back as an `ops:` experiment.
public struct Shrinker {
    public var experiment: Experiment
    public var variant: Variant
    public var seed: UInt64
    public var condition: ShrinkCondition
    /// At most this many simulations.
    public var budget: Int

    public init(experiment: Experiment, variant: Variant, seed: UInt64, condition: ShrinkCondition, budget: Int = 5000) {
        self.experiment = experiment; self.variant = variant; self.seed = seed
        self.condition = condition; self.budget = budget
    }

    public struct Outcome {
        public var originalEvents: Int
        public var kept: [ProgramEvent]
        public var tests: Int
        public var budgetExhausted: Bool
        public var yaml: String
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The unshrunk workload does not satisfy the condition: nothing to shrink towards.
        case conditionDoesNotHold(String)
        public var description: String {
            switch self { case .conditionDoesNotHold(let s): s }
        }
    }

    /// Whether `events` on this machine satisfy the condition.
    public func satisfies(_ events: [ProgramEvent]) -> Bool {
        satisfies(events, like: WorkloadGenerator.generate(experiment, seed: seed).program)
    }

    /// `events` (a subset of `full`'s, request ids unchanged) with `full`'s page classes,
    /// reclaim settings and starting state (issue 23), so a candidate runs as the original did.
    func satisfies(_ events: [ProgramEvent], like full: Program) -> Bool {
        // The full count: the starting state may bind requests (pre-capture frees) the
        // candidate no longer names.
        var program = Program(layout: experiment.machine.layout, events: events,
                              requestCount: max(Self.requestCount(events), full.requestCount))
        program.initialState = full.initialState
        program.pageClasses = full.pageClasses
        program.reclaim = full.reclaim
        return condition.holds(variant.run(program, RunOptions(checkEvery: 0)), variant: variant.id)
    }

    /// - Parameter progress: called after every simulation with (simulations so far, events in
    ///   the smallest list that still satisfies the condition, events of the full workload).
    public func shrink(name: String? = nil,
                       progress: ((_ tests: Int, _ smallest: Int, _ original: Int) -> Void)? = nil) throws(Failure) -> Outcome {
        let program = WorkloadGenerator.generate(experiment, seed: seed).program
        guard satisfies(program.events, like: program) else {
            throw .conditionDoesNotHold("\(variant.id) seed \(seed) does not satisfy '\(condition.text)' on the full workload "
                                        + "of \(experiment.name) (\(program.events.count) events): nothing to shrink")
        }
        var tests = 0, smallest = program.events.count
        let result = DeltaDebugging.ddmin(program.events, budget: budget) { candidate in
            let ok = satisfies(candidate, like: program)
            tests += 1
            if ok { smallest = min(smallest, candidate.count) }
            progress?(tests, smallest, program.events.count)
            return ok
        }
        let header = ShrunkExperimentWriter.Header(
            name: name ?? "\(experiment.name)-shrunk",
            description: "Shrunk by buddylab shrink from \(experiment.file) (seed \(seed)) for \(variant.id) until "
                + "'\(condition.text)': \(result.kept.count) of \(program.events.count) events kept"
                + (result.budgetExhausted ? " (test budget exhausted: smaller, not proven minimal)." : " (1-minimal).")
                // ops: cannot carry page classes, reclaim or pre-capture frees: say what is lost.
                + (program.reclaim != nil || !program.pageClasses.isEmpty || !(program.initialState?.preCaptureBlocks.isEmpty ?? true)
                   ? " Shrunk with the original's page classes, reclaim and pre-capture frees, which ops: cannot express: "
                     + "this file replays the kept requests without them, so its result may differ." : ""),
            variant: variant.id, seed: seed, expect: [])
        let yaml = ShrunkExperimentWriter.yaml(result.kept, machine: experiment.machine, experimentFile: experiment.file,
                                               header: header)
        return Outcome(originalEvents: program.events.count, kept: result.kept, tests: result.tests,
                       budgetExhausted: result.budgetExhausted, yaml: yaml)
    }

    static func requestCount(_ events: [ProgramEvent]) -> Int {
        var top: Int32 = -1
        for e in events {
            switch e.op {
            case let .alloc(r, _, _, _, _, _), let .allocAt(_, r, _, _, _, _), let .free(r): top = max(top, r)
            default: break
            }
        }
        return Int(top) + 1
    }
}
