import BuddyCore
import BuddyVariants

/// Lockstep over a log of several zones (the x86_64 oracle: DMA, DMA32, Normal): as `Lockstep`,
/// but every zone's state is compared after every command, and, where the log carries them in
/// each state, each zone's managed and present pages, marks and `lowmem_reserve` (offline and
/// online change them: `adjust_present_page_count`, `init_per_zone_wmark_min`).
enum ZonedLockstep {
    static func run(log: OracleLog, variant: Variant, checkEvery: Int) -> LockstepOutcome {
        var outcome = LockstepOutcome(kernel: log.kernel, variant: variant.id, commandsCompared: 0,
                                      commandsInLog: log.steps.count, foreignReplayed: 0, mismatch: nil)
        let built: any KernelModel
        do { built = try makeKernelModel(variant: variant, log: log) } catch {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: [
                StateDifference(kind: .structure, kernel: "state 0", simulator: "not importable", what: error.message)],
                commands: [], foreign: [])
            return outcome
        }
        guard let model = built as? any ZonedKernelModel, model.zoneCount == log.zones.count else {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: [
                StateDifference(kind: .structure, kernel: "\(log.zones.count) zones", simulator: "another zone count",
                                what: "the simulator did not import every zone")], commands: [], foreign: [])
            return outcome
        }
        var diffs = compare(log.initial, model, log)
        diffs += Lockstep.pcpDifferences(log.initial)
        if !diffs.isEmpty {
            outcome.mismatch = LockstepMismatch(step: 0, command: nil, differences: diffs, commands: [], foreign: [])
            return outcome
        }
        var commands: [OracleCommand] = []
        for step in log.steps {
            if let reason = unreproducible(step) {
                outcome.stopped = (step.index, reason)
                return outcome
            }
            commands.append(step.command)
            outcome.commandsCompared += 1
            var d: [StateDifference] = []
            if let rd = StateComparator.compare(kernel: step.result, simulator: model.apply(step.command)) { d.append(rd) }
            // offline/online: the kernel's own page events around the block are side events of the
            // command (slab shrinking in the MEM_GOING_OFFLINE notifier, `slab_mem_going_offline_callback`,
            // frees slab pages of other zones); the block's own (the online range freed into the
            // buddy, `generic_online_page`) are the command, which the model performs itself.
            for e in sideEventsToReplay(step) {
                let fr = model.replay(e)
                outcome.foreignReplayed += 1
                if fr != .ok {
                    d.append(StateDifference(kind: .foreign, pfn: e.pfn, kernel: "done", simulator: fr.rawValue,
                                             what: "side \(e) of \(step.command.text) could not be replayed on the simulator"))
                }
            }
            for e in step.state.foreign {
                let fr = model.replay(e)
                outcome.foreignReplayed += 1
                if fr != .ok {
                    d.append(StateDifference(kind: .foreign, pfn: e.pfn, kernel: "done", simulator: fr.rawValue,
                                             what: "\(e) could not be replayed on the simulator"))
                }
            }
            d += compare(step.state, model, log)
            d += Lockstep.pcpDifferences(step.state)
            if step.index % max(checkEvery, 1) == 0 || step.index == log.steps.count {
                let v = model.violations()
                if !v.isEmpty {
                    d.append(StateDifference(kind: .structure, kernel: "-", simulator: v.joined(separator: "; "),
                                             what: "simulator structural invariant"))
                }
            }
            if !d.isEmpty {
                outcome.mismatch = LockstepMismatch(step: step.index, command: step.command, differences: d,
                                                    commands: commands, foreign: step.state.foreign)
                return outcome
            }
        }
        return outcome
    }

    /// `Lockstep.unreproducible`, except that an offline/online command's side allocations
    /// outside its block are replayed (only one inside it would be a migration).
    static func unreproducible(_ step: OracleStep) -> String? {
        let replayed = sideEventsToReplay(step)
        guard !replayed.isEmpty else { return Lockstep.unreproducible(step) }
        var s = step
        s.state.side.removeAll { replayed.contains($0) }
        return Lockstep.unreproducible(s)
    }

    /// An offline/online command's side page events outside its memory block.
    static func sideEventsToReplay(_ step: OracleStep) -> [ForeignEvent] {
        let block: Range<Int>
        switch step.command {
        case let .offline(pfn, pages), let .online(pfn, pages): block = pfn..<(pfn + pages)
        default: return []
        }
        return step.state.side.filter { !block.overlaps($0.pfn..<($0.pfn + (1 << $0.order))) }
    }

    /// Every zone's differences, each prefixed with its zone's name.
    static func compare(_ state: OracleState, _ model: any ZonedKernelModel, _ log: OracleLog) -> [StateDifference] {
        let pb = log.geometry.pageblockPages
        var out: [StateDifference] = []
        for (z, k) in state.zones.enumerated() {
            let name = log.zones[z].name
            var d = StateComparator.compare(kernel: k, simulator: model.snapshot(zone: z, like: k), pageblockPages: pb)
            let noMemmap = z == 0 ? state.noMemmapBlocks : state.otherNoMemmap[z - 1]
            d = d.filter { $0.kind != .pageblock || $0.pfn.map { noMemmap.contains(($0 - k.pageblockStart) / pb) } != true }
            if state.zoneRecords.count == log.zones.count {
                let rec = state.zoneRecords[z], sim = model.zoneRecord(zone: z)
                let w = rec.watermarks
                let pairs: [(String, Int, Int)] = [
                    ("managed pages", rec.managed, sim.managed), ("present pages", rec.present, sim.present),
                    ("WMARK_MIN (boost included)", w.min + w.boost, sim.marks[0]),
                    ("WMARK_LOW (boost included)", w.low + w.boost, sim.marks[1]),
                    ("WMARK_HIGH (boost included)", w.high + w.boost, sim.marks[2]),
                ]
                for (what, kv, sv) in pairs where kv != sv {
                    d.append(StateDifference(kind: .counter, kernel: "\(kv)", simulator: "\(sv)", what: what))
                }
                let kRow = log.importedZones(state)[z].lowmemReserve
                if let kRow, kRow != sim.lowmem {
                    d.append(StateDifference(kind: .counter, kernel: "\(kRow)", simulator: "\(sim.lowmem)",
                                             what: "lowmem_reserve (by zone \(log.zones.map(\.name).joined(separator: ", ")))"))
                }
            }
            out += d.map { var e = $0; e.what = "zone \(name): " + e.what; return e }
        }
        return out
    }
}
