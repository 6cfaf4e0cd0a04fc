import BuddyCore
import BuddyExperiment

/// What of an experiment runs on the real kernel for `buddylab run --kernel` (the real-kernel
/// column), and what does not, with the reason.
///
/// Unlike `ExperimentCommands` (lockstep: the whole script or nothing), a report column runs
/// every op the driver has a command for and lists the rest, phase by phase and op by op, as
/// "not run on a real kernel" — never dropped silently. Ops at a pfn are relocated: the
/// experiment's machine (`ram_start` … end, whole max-order blocks) is mapped onto a window of
/// the kernel's zone that is wholly free at boot (`window(pages:in:)`), so `contig 0x200+512`
/// means "pageblock 1 of the window" on the kernel as on the simulated machine. Allocations
/// without a pfn land wherever the kernel's allocator puts them (the driver cannot choose);
/// their pfn is kept in the op's detail.
public struct KernelRunPlan: Sendable {
    /// A phase or op that is not run on a real kernel, and why.
    public struct NotRun: Sendable, Equatable, CustomStringConvertible {
        /// e.g. `phase 1 fill` or `op 3 alloc at pfn 0x400`.
        public var what: String
        public var reason: String
        public var description: String { "\(what) (\(reason))" }
        public init(what: String, reason: String) { self.what = what; self.reason = reason }
    }

    enum Step: Sendable {
        case plain(OracleCommand)
        case alloc(order: Int, type: AllocType, name: String?)
        case free(name: String)
        /// `contig` without `hold`: freed right after a success, as the simulator's op does.
        case contigThenFree(pfn: Int, pages: Int)
        /// A request of the generated stream (fill, churn, …: KernelRunPlan+Program.swift).
        case allocRequest(request: Int32, order: Int, type: AllocType, gfp: OracleGFP)
        case freeRequest(request: Int32)
        /// A generated `contig` phase attempt at an experiment pfn.
        case contigRequest(pfn: Int, pages: Int, hold: Bool)
        /// `offline`/`online` of the experiment's memory block (x86_64 pc only): the kernel's
        /// memory block of the same number (KernelRunPlan+Hotplug.swift).
        case hotplug(block: Int, online: Bool)
    }

    /// One op that runs: its index across the experiment's scripted ops, keyword and step.
    struct PlannedOp: Sendable {
        var index: Int
        var keyword: String
        var step: Step
        var usesPfn: Bool
        /// How the not-run list names it.
        var what: String = ""
    }

    public internal(set) var notRun: [NotRun] = []
    /// Generated events (fill, churn, contig phases) planned: the column runs the seeded request
    /// stream, not only the scripted ops (KernelRunPlan+Program.swift).
    public internal(set) var generatedEvents = 0
    var ops: [PlannedOp] = []
    /// The experiment's pfns: `ram_start` up to its end rounded up to whole max-order blocks.
    public let span: Range<Int>
    let maxOrderPages: Int
    let experimentGeometry: Geometry
    /// The experiment's memory block (pages), and the kernel's once `resolveHotplug` has seen it.
    let experimentBlockPages: Int
    var kernelBlockPages = 0

    /// Sorts the experiment's phases and ops into those the driver can run and those it cannot.
    /// `hotplug`: the kernel has SPARSEMEM memory hotplug (the x86_64 pc oracle): `offline` /
    /// `online` ops and phases (also inside `repeat:`) run there.
    public init(_ e: Experiment, hotplug: Bool = false) {
        let layout = e.machine.layout
        experimentBlockPages = layout.memoryBlockPages
        experimentGeometry = layout.geometry
        maxOrderPages = layout.geometry.maxOrderPages
        let pages = (layout.totalPages + maxOrderPages - 1) / maxOrderPages * maxOrderPages
        span = layout.ramStartPfn..<(layout.ramStartPfn + pages)
        for (p, phase) in e.workload.enumerated() {
            if hotplug, let steps = Self.hotplugSteps(phase) {
                ops += steps.map { PlannedOp(index: -1, keyword: $0.online ? "online" : "offline", step: .hotplug(block: $0.block, online: $0.online),
                                             usesPfn: false, what: "phase \(p + 1) \(ExperimentCommands.phaseName(phase))") }
                continue
            }
            guard case let .ops(list) = phase else {
                notRun.append(NotRun(what: "phase \(p + 1) \(ExperimentCommands.phaseName(phase))",
                                     reason: "the driver has no command for \(ExperimentCommands.phaseName(phase)) phases: only ops: scripts run"))
                continue
            }
            for op in list {
                let what = "op \(op.index) \(op.label.isEmpty ? op.keyword : op.label)"
                func skip(_ reason: String) { notRun.append(NotRun(what: what, reason: reason)) }
                switch op.kind {
                case let .alloc(pfn, order, type, _, _, name, gfp):
                    guard pfn == nil else { skip("alloc at an exact pfn: the driver cannot choose where alloc_pages lands"); continue }
                    guard gfp == nil else { skip("alloc with gfp: the driver does not take a gfp mask yet (it allocates with its own)"); continue }
                    ops.append(PlannedOp(index: op.index, keyword: "alloc", step: .alloc(order: order, type: type, name: name), usesPfn: false, what: what))
                case let .free(name):
                    ops.append(PlannedOp(index: op.index, keyword: "free", step: .free(name: name), usesPfn: false, what: what))
                case let .isolate(start, pages):
                    ops.append(PlannedOp(index: op.index, keyword: "isolate", step: .plain(.isolate(pfn: start, pages: pages, offline: false)), usesPfn: true, what: what))
                case let .unisolate(start, pages):
                    ops.append(PlannedOp(index: op.index, keyword: "unisolate", step: .plain(.unisolate(pfn: start, pages: pages)), usesPfn: true, what: what))
                case let .contig(start, pages, hold):
                    ops.append(PlannedOp(index: op.index, keyword: "contig",
                                         step: hold ? .plain(.contig(pfn: start, pages: pages)) : .contigThenFree(pfn: start, pages: pages),
                                         usesPfn: true, what: what))
                case let .watermark(_, mark, order):
                    ops.append(PlannedOp(index: op.index, keyword: "watermark", step: .plain(.watermark(mark: mark, order: order)), usesPfn: false, what: what))
                case .sample: continue
                case .cmaDeclare: skip("cma_declare: the driver's CMA area is reserved at boot (--cma)")
                case .reserveHighatomic: skip("reserve_highatomic: the driver has no command that reserves a HIGHATOMIC block")
                case let .compact(_, order, _):
                    guard order == nil else {
                        skip("compact with order: the driver's direct compaction captures and allocates the page (compact_zone_order always captures); the op's attempt takes none")
                        continue
                    }
                    ops.append(PlannedOp(index: op.index, keyword: "compact", step: .plain(.compact), usesPfn: false, what: what))
                case let .offline(block) where hotplug:
                    ops.append(PlannedOp(index: op.index, keyword: "offline", step: .hotplug(block: block, online: false), usesPfn: false, what: what))
                case let .online(block) where hotplug:
                    ops.append(PlannedOp(index: op.index, keyword: "online", step: .hotplug(block: block, online: true), usesPfn: false, what: what))
                case .offline, .online: skip("memory hotplug: User-Mode Linux has no SPARSEMEM hotplug")
                }
            }
        }
    }

    /// Moves every op that names a pfn to the not-run list (no free window for them).
    public mutating func dropPfnOps(reason: String) {
        for op in ops where op.usesPfn { notRun.append(NotRun(what: op.what, reason: reason)) }
        ops.removeAll { $0.usesPfn }
    }

    /// Moves every op to the not-run list (the kernel cannot run this experiment's machine).
    public mutating func dropAll(reason: String) {
        for op in ops { notRun.append(NotRun(what: op.what, reason: reason)) }
        ops.removeAll()
    }

    /// True when no op of the experiment can run on a real kernel.
    public var isEmpty: Bool { ops.isEmpty }
    /// True when some op to run names a pfn (then a free window is needed).
    public var needsWindow: Bool { ops.contains { $0.usesPfn } }

    /// Why the experiment's machine does not fit the kernel's geometry, or nil when it does.
    public func geometryProblem(kernel g: Geometry) -> String? {
        let e = experimentGeometry
        guard e.pageSize != g.pageSize || e.maxOrder != g.maxOrder || e.pageblockOrder != g.pageblockOrder else { return nil }
        return "the experiment's geometry (page \(e.pageSize) B, max_order \(e.maxOrder), pageblock_order \(e.pageblockOrder)) is not the kernel's (page \(g.pageSize) B, max_order \(g.maxOrder), pageblock_order \(g.pageblockOrder))"
    }

    /// The highest window of `pages` pages (whole max-order blocks) in `snapshot`'s zone made of
    /// free max-order blocks on the unmovable/movable/reclaimable lists (not CMA, not isolated):
    /// memory nobody holds at boot, where pfn ops act on free blocks as on a fresh simulated
    /// zone. Nil when the zone has no such run of blocks.
    public static func window(pages: Int, in snapshot: ZoneSnapshot, geometry g: Geometry) -> Int? {
        let blockPages = g.maxOrderPages
        let need = max(1, (pages + blockPages - 1) / blockPages)
        var free = Set<Int>()
        for mt in [MigrateType.unmovable, .movable, .reclaimable] where g.maxOrder < snapshot.freeLists.count {
            for pfn in snapshot.freeLists[g.maxOrder][Int(mt.rawValue)] where pfn % blockPages == 0 { free.insert(pfn) }
        }
        for top in free.sorted(by: >) {
            let base = top - (need - 1) * blockPages
            if (0..<need).allSatisfy({ free.contains(base + $0 * blockPages) }) { return base }
        }
        return nil
    }

    /// One driver command of the batch and the op it belongs to.
    public struct PlannedCommand: Sendable, Equatable {
        public var command: OracleCommand
        /// Index of the op whose result this command's result is; nil for a follow-up
        /// (the free after a `contig` without `hold`).
        public var resultOf: Int?
        /// The allocation request whose outcome this command's result is (allocations only).
        public var request: Int32? = nil
        /// A command of a generated phase: counted in the metrics like an op's.
        public var generated = false
        public init(command: OracleCommand, resultOf: Int?) { self.command = command; self.resultOf = resultOf }
    }

    /// The batch: every op that runs, pfns moved by `offset` (kernel pfn − experiment pfn),
    /// each applied to `model` (the probe boot's state) so a named free gets the kernel's
    /// handle. A free whose allocation failed in the model is not sent; its op is answered
    /// `ok` like the simulator's no-op free (`skippedFrees`).
    public func commands(offset: Int, against model: any KernelModel) -> (commands: [PlannedCommand], skippedFrees: [Int]) {
        var out: [PlannedCommand] = []
        var skipped: [Int] = []
        var names: [String: Int] = [:]
        var handles: [Int32: Int] = [:]
        func run(_ c: OracleCommand, _ op: Int?, request: Int32? = nil, generated: Bool = false) -> OracleResult {
            var p = PlannedCommand(command: c, resultOf: op)
            p.request = request
            p.generated = generated
            out.append(p)
            return model.apply(c)
        }
        for op in ops {
            // Generated events carry index -1: their results feed the metrics, not the ops table.
            let index: Int? = op.index >= 0 ? op.index : nil
            let generated = op.index < 0
            switch op.step {
            case let .allocRequest(request, order, type, gfp):
                if let h = run(.alloc(order: order, type: type, gfp: gfp), index, request: request, generated: generated).handle { handles[request] = h }
            case let .freeRequest(request):
                if let h = handles.removeValue(forKey: request) { _ = run(.free(handle: h), index, generated: generated) }
                else if let index { skipped.append(index) }
            case let .contigRequest(pfn, pages, hold):
                let r = run(.contig(pfn: pfn + offset, pages: pages), index, generated: generated)
                if !hold, let h = r.handle { _ = run(.free(handle: h), nil) }
            case let .plain(c): _ = run(Self.moved(c, by: offset), op.index)
            case let .alloc(order, type, name):
                let r = run(.alloc(order: order, type: type), op.index)
                if let name, let h = r.handle { names[name] = h }
            case let .free(name):
                if let h = names.removeValue(forKey: name) { _ = run(.free(handle: h), op.index) } else { skipped.append(op.index) }
            case let .contigThenFree(pfn, pages):
                if let h = run(.contig(pfn: pfn + offset, pages: pages), op.index).handle { _ = run(.free(handle: h), nil) }
            case let .hotplug(block, online):
                let bp = kernelBlockPages, pfn = block * bp
                _ = run(online ? .online(pfn: pfn, pages: bp) : .offline(pfn: pfn, pages: bp), index, generated: generated)
            }
        }
        return (out, skipped)
    }

    static func moved(_ c: OracleCommand, by offset: Int) -> OracleCommand {
        switch c {
        case let .contig(pfn, pages): .contig(pfn: pfn + offset, pages: pages)
        case let .isolate(pfn, pages, offline): .isolate(pfn: pfn + offset, pages: pages, offline: offline)
        case let .unisolate(pfn, pages): .unisolate(pfn: pfn + offset, pages: pages)
        default: c
        }
    }

    /// Keyword of op `index` (for ops table rows).
    public func keyword(ofOp index: Int) -> String? { ops.first { $0.index == index }?.keyword }
    /// Indices of the ops that run, in order.
    public var opIndices: [Int] { ops.map(\.index) }
}
