import BuddyCore
import BuddyVariants

/// The first point where the simulator and the kernel disagree.
public struct LockstepMismatch: Sendable {
    /// Command number (1-based); 0: the imported state itself.
    public var step: Int
    public var command: OracleCommand?
    public var differences: [StateDifference]
    /// The commands up to and including `step`, in order.
    public var commands: [OracleCommand]
    /// Foreign events replayed during `step`.
    public var foreign: [ForeignEvent]
}

/// Outcome of one lockstep comparison.
public struct LockstepOutcome: Sendable {
    public var kernel: String
    public var variant: String
    /// Commands compared (up to and including a mismatching one).
    public var commandsCompared: Int
    public var commandsInLog: Int
    public var foreignReplayed: Int
    public var mismatch: LockstepMismatch?
    /// Where comparing stopped without a mismatch because the kernel's state cannot be
    /// reproduced (foreign compaction, lost foreign events, a migration inside a command).
    public var stopped: (step: Int, reason: String)?
}

/// Lockstep comparison of an oracle log against a simulator variant: import state 0, check that
/// the import reads back as the kernel's state, then per command (`step`) apply it, replay the
/// side and foreign allocations and frees made meanwhile at their exact pfns, and compare the
/// result and the whole state. Stops at the first mismatch. One loop for every machine: what
/// differs (the zones compared, the LRU runs) is `LockstepMachine`.
public enum Lockstep {
    /// - Parameter checkEvery: run the simulator's structural checker (O(frames)) after every
    ///   this many commands and after the last; the state comparison runs after every command.
    public static func run(log: OracleLog, variant: Variant, checkEvery: Int = 64) -> LockstepOutcome {
        var outcome = LockstepOutcome(kernel: log.kernel, variant: variant.id, commandsCompared: 0,
                                      commandsInLog: log.steps.count, foreignReplayed: 0, mismatch: nil)
        let model: any KernelModel
        do { model = try makeKernelModel(variant: variant, log: log) } catch {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: [
                StateDifference(kind: .structure, kernel: "state 0", simulator: "not importable", what: error.message)],
                commands: [], foreign: [])
            return outcome
        }
        guard let machine = LockstepMachine.of(log, model) else {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: [
                StateDifference(kind: .structure, kernel: "\(log.zones.count) zones", simulator: "another zone count",
                                what: "the simulator did not import every zone")], commands: [], foreign: [])
            return outcome
        }
        var diffs = machine.differences(log.initial, model, log, initial: true)
        diffs += pcpDifferences(log.initial, model)
        diffs += compactionDifferences(log.initial, model)
        if !diffs.isEmpty {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: diffs, commands: [], foreign: [])
            return outcome
        }
        var commands: [OracleCommand] = []
        var lastLRU = machine.lruRuns(log.initial)
        for step in log.steps {
            if let reason = unreproducible(step) {
                outcome.stopped = (step.index, reason)
                return outcome
            }
            commands.append(step.command)
            outcome.commandsCompared += 1
            let check = step.index % max(checkEvery, 1) == 0 || step.index == log.steps.count
            let d = self.step(step, model, machine, log, lastLRU: &lastLRU, check: check, replayed: &outcome.foreignReplayed)
            if !d.isEmpty {
                outcome.mismatch = LockstepMismatch(step: step.index, command: step.command, differences: d,
                                                    commands: commands, foreign: step.state.foreign)
                return outcome
            }
        }
        return outcome
    }

    /// One command: applied to `model` with the kernel's own side events of it, the side events
    /// the model does not perform replayed (`LockstepMachine.sideEventsToReplay`), then the
    /// foreign ones, the LRU membership taken over when it changed, and the state compared.
    /// `check`: run the structural checker too. Returns the differences (empty: in step).
    static func step(_ step: OracleStep, _ model: any KernelModel, _ machine: LockstepMachine, _ log: OracleLog,
                     lastLRU: inout (lru: [(pfn: Int, pages: Int)], file: [(pfn: Int, pages: Int)]),
                     check: Bool, replayed: inout Int) -> [StateDifference] {
        var d: [StateDifference] = []
        let r = model.apply(step.command, kernelSide: step.state.side)
        if let rd = StateComparator.compare(kernel: step.result, simulator: r) { d.append(rd) }
        for p in model.takeSideProblems() {
            d.append(StateDifference(kind: .foreign, kernel: "done", simulator: "not replayable", what: p))
        }
        // Events the model does not perform itself, in the kernel's order: the command's side
        // events it replays, the foreign ones, then the kcompactd kthread's own frees.
        func replay(_ events: [ForeignEvent], _ what: (ForeignEvent) -> String) {
            for e in events {
                let fr = model.replay(e)
                replayed += 1
                if fr != .ok {
                    d.append(StateDifference(kind: .foreign, pfn: e.pfn, kernel: "done", simulator: fr.rawValue,
                                             what: "\(what(e)) could not be replayed on the simulator"))
                }
            }
        }
        replay(LockstepMachine.sideEventsToReplay(step)) { "side \($0) of \(step.command.text)" }
        replay(step.state.foreign) { "\($0)" }
        replay(LockstepMachine.threadSideEvents(step)) { "side \($0) of \(step.command.text)'s kthread" }
        // The guest's LRU membership changes outside the allocator (page cache read, pages
        // dropped): taken from the kernel's `lru` runs whenever they change.
        let (lru, file) = machine.lruRuns(step.state)
        if !lru.elementsEqual(lastLRU.lru, by: { $0.pfn == $1.pfn && $0.pages == $1.pages })
            || !file.elementsEqual(lastLRU.file, by: { $0.pfn == $1.pfn && $0.pages == $1.pages }) {
            model.syncLRU(lru, file: file)
            lastLRU = (lru, file)
        }
        d += machine.differences(step.state, model, log, initial: false)
        d += pcpDifferences(step.state, model)
        d += anonDifferences(step.state, model)
        d += compactionDifferences(step.state, model)
        let v = check ? model.violations() : []
        if !v.isEmpty {
            d.append(StateDifference(kind: .structure, kernel: "-", simulator: v.joined(separator: "; "),
                                     what: "simulator structural invariant"))
        }
        return d
    }

    /// Why the state after `step` cannot be reproduced by the simulator, if it cannot.
    static func unreproducible(_ step: OracleStep) -> String? {
        var s = step.state
        // An offline/online command's side events outside its block are replayed, not modelled.
        let replayed = LockstepMachine.sideEventsToReplay(step)
        if !replayed.isEmpty { s.side.removeAll { replayed.contains($0) } }
        if s.foreignLost > 0 { return "the probe lost \(s.foreignLost) foreign page events during command \(step.index)" }
        if let c = s.foreignCompaction.first { return "someone else's compaction took free pages during command \(step.index) (\(c))" }
        // Page events inside a command are modelled (contig, cma_alloc, isolate: migration and
        // the frees of an isolated block's rest) or replayed (anon: faults; free: an unmap).
        switch step.command {
        case .contig, .cmaAlloc, .isolate, .anon, .free, .compact, .compactOrder, .kcompactd, .proactive: break
        default:
            if let a = s.side.first(where: \.isAlloc) {
                return "command \(step.index) allocated a page inside the driver's call (side alloc at \(hexString(a.pfn)) order \(a.order)): not modelled for \(step.command.text)"
            }
        }
        return nil
    }

    /// Every live anon mapping's pages where the kernel has them (`anon H PFN…`), and no other
    /// anon handle alive on the simulator.
    static func anonDifferences(_ s: OracleState, _ model: any KernelModel) -> [StateDifference] {
        var out: [StateDifference] = []
        for rec in s.anon {
            let k = rec.pfns.map { $0.map(hexString) ?? "-" }
            guard let sim = model.anonPfns(handle: rec.handle) else {
                out.append(StateDifference(kind: .anon, pfn: rec.pfns.first ?? nil, kernel: "\(rec.pfns.count) pages",
                                           simulator: "no anon handle \(rec.handle)", what: "anon \(rec.handle)"))
                continue
            }
            let sv = sim.map(hexString)
            guard k != sv else { continue }
            let i = (0..<min(k.count, sv.count)).first { k[$0] != sv[$0] } ?? min(k.count, sv.count)
            out.append(StateDifference(kind: .anon, pfn: rec.pfns.indices.contains(i) ? rec.pfns[i] : nil,
                                       kernel: k.dropFirst(i).prefix(8).joined(separator: " "),
                                       simulator: sv.dropFirst(i).prefix(8).joined(separator: " "),
                                       what: "anon \(rec.handle): page \(i) of \(k.count) (where its pages are)"))
        }
        return out
    }

    /// A non-empty per-cpu list means `buddylab_nopcp` was not in effect: the simulator has no
    /// pcp lists, so those pages would be "allocated" to it and "free" to the kernel.
    static func pcpDifferences(_ s: OracleState) -> [StateDifference] {
        s.pcp.map { p in
            StateDifference(kind: .pcp, pfn: p.pfns.first, order: p.order, list: p.list,
                            kernel: StateComparator.render(p.pfns), simulator: "no per-cpu lists",
                            what: "pcp cpu \(p.cpu) order \(p.order) \(p.list.oracleName) is not empty (is buddylab_nopcp on?)")
        }
    }
}
