/// `ProgramStepper` over a `Machine<S>`: the same event semantics as `Simulation.run` (the
/// alloc/free cases below mirror its loop; everything else goes through the shared `runRare`).
public final class SimulationStepper<S: StrategySet>: ProgramStepper {
    let simulation: Simulation<S>
    let machine: Machine<S>
    var out = RawRun()
    var tally = Simulation<S>.Tally()
    var handles: DenseRequestHandles
    var cmaLive: [[(base: Int, pages: Int)]]
    public private(set) var position = 0

    public init(_ program: Program, options: RunOptions = RunOptions()) {
        // Stepping indexes events: a streamed program is drained into memory first.
        let program = program.materialized()
        simulation = Simulation<S>(program, options: options)
        machine = Machine<S>(layout: program.layout)
        machine.compactionEnabled = program.usesCompaction
        handles = DenseRequestHandles(count: program.requestCount)
        cmaLive = []
        if let s = program.initialState {
            machine.importInitialState(s)
            for (r, h) in machine.bindPreCaptureBlocks(s.preCaptureBlocks) where r >= 0 && Int(r) < program.requestCount {
                handles.bind(r, to: Int32(truncatingIfNeeded: h))
            }
        }
        simulation.setUpCMA(machine, &out)
        if let rc = program.reclaim {
            machine.enableReclaim(rc, classes: program.pageClasses, requestCount: program.requestCount)
        }
        cmaLive = Array(repeating: [], count: machine.cmaAreas.count)
    }

    public var eventCount: Int { simulation.program.events.count }
    public var layout: MachineLayout { machine.layout }
    public var faultLog: [(kind: String, detail: String)] {
        out.faults.map { ($0.kind, $0.detail) }
    }

    public func step() -> StepOutcome {
        let m = machine
        let event = simulation.program.events[position]
        let faultsBefore = m.faults.count
        let divergencesBefore = out.divergences.count
        let opsBefore = out.ops.count
        let before = tally
        var outcome: StepOutcome
        switch event.op {
        case let .alloc(request, order, type, z, compound, gfp):
            let zone = z >= 0 ? Int(z) : nil
            let h = gfp.map { m.allocate(zone: zone, order: Int(order), type: type, compound: compound, gfp: $0) }
                ?? m.allocate(zone: zone, order: Int(order), type: type, compound: compound)
            handles.bind(request, to: Int32(truncatingIfNeeded: h))
            if simulation.program.reclaim != nil { m.reclaimNoteAlloc(request: request, handle: h) }
            outcome = h >= 0 ? StepOutcome(result: "ok", detail: "pfn \(hex(Int(m.handlePfn[h]))) order \(order) \(type.name)\(gfpText(gfp))")
                : StepOutcome(result: "enomem", detail: "no free block of order \(order) for \(type.name)\(gfpText(gfp))")
        case let .free(request):
            let h = handles.handle(of: request)
            if h >= 0, simulation.program.reclaim != nil, !m.reclaimNoteFree(request: request) {
                handles.unbind(request)
                outcome = StepOutcome(result: "-", detail: "reclaimed earlier: no-op")
            } else if h >= 0 {
                let pfn = Int(m.handlePfn[Int(h)])
                let order = m.order(pfn)
                m.free(handle: Int(h)); handles.unbind(request)
                outcome = StepOutcome(result: "ok", detail: "freed pfn \(hex(pfn)) order \(order)")
            } else {
                outcome = StepOutcome(result: "-", detail: "request had failed: no-op")
            }
        default:
            simulation.runRare(m, event, at: position, &out, &tally, &handles, &cmaLive)
            if out.ops.count > opsBefore, let last = out.ops.last {
                outcome = StepOutcome(result: last.result.rawValue, detail: last.detail)
            } else {
                outcome = StepOutcome(result: "-", detail: Self.tallyChange(before, tally))
            }
        }
        if simulation.program.reclaim != nil { S.Progress.afterEvent(m) }
        if m.faults.count > faultsBefore {
            for f in m.faults[faultsBefore...] { out.faults.append((position, f.kind, f.detail)) }
            outcome.detail += (outcome.detail.isEmpty ? "" : "; ") + "fault: " + m.faults[faultsBefore...].map(\.kind).joined(separator: ", ")
        }
        if out.divergences.count > divergencesBefore {
            outcome.detail += (outcome.detail.isEmpty ? "" : "; ") + "replay divergence: "
                + out.divergences[divergencesBefore...].map(\.detail).joined(separator: "; ")
        }
        position += 1
        return outcome
    }

    /// What an unscripted rare op did, from the executor's counters.
    static func tallyChange(_ a: Simulation<S>.Tally, _ b: Simulation<S>.Tally) -> String {
        var parts: [String] = []
        if b.contigSuccesses > a.contigSuccesses { parts.append("contig ok") }
        if b.contigEbusy > a.contigEbusy { parts.append("contig ebusy") }
        if b.cmaAllocs > a.cmaAllocs { parts.append("cma_alloc ok") }
        if b.cmaFailures > a.cmaFailures { parts.append("cma_alloc failed") }
        if b.offlineOK > a.offlineOK { parts.append("offline ok") }
        if b.offlineFailed > a.offlineFailed { parts.append("offline failed") }
        if b.onlineOK > a.onlineOK { parts.append("online ok") }
        return parts.joined(separator: ", ")
    }

    public func snapshot(full: Bool) -> EngineSnapshot {
        let m = machine
        let zones = 0..<m.zoneCount
        var s = EngineSnapshot(
            nrFreePages: zones.map { m.zone[$0].nrFreePages },
            nrFreeCMAPages: zones.map { m.zone[$0].nrFreeCMAPages },
            nrIsolatePageblock: zones.map { m.zone[$0].nrIsolatePageblock },
            managedPages: zones.map { m.zone[$0].managedPages },
            nrFree: Array(UnsafeBufferPointer(start: m.nrFree, count: m.zoneCount * m.orders)),
            listLengths: Array(UnsafeBufferPointer(start: m.listCount, count: m.zoneCount * m.orders * MigrateType.count)),
            freeBlocks: nil, pageblockTypes: nil, faults: m.faults.count)
        if full {
            var blocks: [FreeBlockEntry] = []
            for z in zones {
                for o in 0..<m.orders {
                    for mt in MigrateType.allCases {
                        for pfn in m.listContents(zone: z, order: o, mt) {
                            blocks.append(FreeBlockEntry(pfn: pfn, order: o, list: mt, zone: z))
                        }
                    }
                }
            }
            s.freeBlocks = blocks.sorted()
            s.pageblockTypes = (0..<m.pageblockCount).map { MigrateType(rawValue: m.pageblockType[$0]) ?? .movable }
        }
        return s
    }
}
