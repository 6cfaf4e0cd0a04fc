import BuddyCore
import BuddyVariants

/// What the lockstep step (`Lockstep.step`) does differently per machine: which zones it
/// compares and where the kernel's LRU runs come from. The command, its side events, foreign
/// events, the LRU sync, the per-cpu lists, the anon mappings and the structural check are the
/// same for both.
///
/// - `oneZone` (User-Mode Linux): the only zone, pageblocks without a memmap left out after
///   state 0.
/// - `zoned` (the x86_64 oracle: DMA, DMA32, Normal): every zone after every command, and, where
///   the log carries them in each state, each zone's managed and present pages, marks and
///   `lowmem_reserve` (offline and online change them: `adjust_present_page_count`,
///   `init_per_zone_wmark_min`).
enum LockstepMachine {
    case oneZone
    case zoned(any ZonedKernelModel)

    /// The machine `log` needs; nil when `model` did not import every zone of it.
    static func of(_ log: OracleLog, _ model: any KernelModel) -> LockstepMachine? {
        guard log.zones.count > 1 else { return .oneZone }
        guard let zoned = model as? any ZonedKernelModel, zoned.zoneCount == log.zones.count else { return nil }
        return .zoned(zoned)
    }

    /// Differences between the kernel's `state` and `model`. `initial`: state 0, where the
    /// one-zone comparison has always kept the no-memmap pageblocks.
    func differences(_ state: OracleState, _ model: any KernelModel, _ log: OracleLog, initial: Bool) -> [StateDifference] {
        switch self {
        case .oneZone:
            let pb = log.geometry.pageblockPages
            let d = StateComparator.compare(kernel: state.snapshot, simulator: model.snapshot(like: state.snapshot), pageblockPages: pb)
            guard !initial else { return d }
            return d.filter { $0.kind != .pageblock || $0.pfn.map { state.noMemmapBlocks.contains(($0 - state.snapshot.pageblockStart) / pb) } != true }
        case let .zoned(m):
            return Self.compare(state, m, log)
        }
    }

    /// The kernel's LRU runs (`lru`, `lru_file`) over the zones this machine compares, pfn order.
    func lruRuns(_ state: OracleState) -> (lru: [(pfn: Int, pages: Int)], file: [(pfn: Int, pages: Int)]) {
        switch self {
        case .oneZone: (state.snapshot.lru, state.snapshot.lruFile)
        case .zoned: (state.zones.flatMap(\.lru), state.zones.flatMap(\.lruFile))
        }
    }

    /// The side-event policy: a command's own page events (`side`) that the model does not
    /// perform itself and that are replayed after it. An offline/online command's events outside
    /// its memory block: slab shrinking in the MEM_GOING_OFFLINE notifier
    /// (`slab_mem_going_offline_callback`) frees slab pages of other zones. The block's own events
    /// (the online range freed into the buddy, `generic_online_page`) are the command, as are
    /// every other command's (modelled — contig, cma_alloc, isolate, compact — or replayed by the
    /// model from `kernelSide` — anon faults and unmaps).
    static func sideEventsToReplay(_ step: OracleStep) -> [ForeignEvent] {
        let block: Range<Int>
        switch step.command {
        case let .offline(pfn, pages), let .online(pfn, pages): block = pfn..<(pfn + pages)
        // add_memory(): the new block's memmap (vmemmap pages, order 9 for 128 MiB) and its
        // memory block device come from RAM the kernel has; the block itself is no RAM yet.
        case .hotadd: return step.state.side
        default: return []
        }
        return step.state.side.filter { !block.overlaps($0.pfn..<($0.pfn + (1 << $0.order))) }
    }

    /// A `kcompactd` command runs `kcompactd_do_work()` on a kthread the driver creates for it,
    /// and the probes count that thread as the batch's task: pages kthreadd allocated for it
    /// (`foreign alloc`) that the thread itself frees as it exits (`side free` of the same pfn
    /// and order) are the thread's, not compaction's. They are replayed after the foreign
    /// events (found on 6.12.118 pc, seed 1, `kcompactd 3` at command 277: an order-1 page).
    /// The thread's own side allocations (a slab `kthread_create` grew) are the model's to
    /// replay around its pass: SimulatedKernel+KthreadSide.swift.
    static func threadSideEvents(_ step: OracleStep) -> [ForeignEvent] {
        guard case .kcompactd = step.command else { return [] }
        let allocated = step.state.foreign.filter(\.isAlloc)
        return step.state.side.filter { e in !e.isAlloc && allocated.contains { $0.pfn == e.pfn && $0.order == e.order } }
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
