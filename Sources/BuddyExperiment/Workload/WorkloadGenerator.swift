import BuddyCore

/// A seed's request stream and its hash.
public struct GeneratedWorkload: Sendable {
    public let program: Program
    private let fixedSHA256: String?
    /// Variant-independent facts about the input, reported beside the simulated metrics
    /// (e.g. a trace's untracked frees; `TraceTally`).
    public var workloadMetrics: [String: Int] = [:]

    public init(program: Program, sha256: String, workloadMetrics: [String: Int] = [:]) {
        self.program = program; fixedSHA256 = sha256; self.workloadMetrics = workloadMetrics
    }

    init(streamed program: Program, workloadMetrics: [String: Int]) {
        self.program = program; fixedSHA256 = nil; self.workloadMetrics = workloadMetrics
    }

    /// `workload_sha256`: SHA-256 (hex) of the canonical encoding of `program` (`WorkloadHash`).
    /// A streamed program's digest is made on the stream by its first cursor (read it after a
    /// run, or it costs a pass of its own: `TraceEventSource.sha256`).
    public var sha256: String {
        if let fixedSHA256 { return fixedSHA256 }
        guard let source = program.eventSource as? TraceEventSource else { return WorkloadHash.sha256(program) }
        return source.sha256
    }
}

/// Expands an experiment's phases into the `Program` every variant runs, for one seed.
///
/// Variant-independent by construction: the generator never looks at what an allocation
/// returned (it cannot — no variant has run yet). A `fill` therefore counts *requested* pages,
/// and a churn free names a *request*, which the engine turns into a no-op where that request
/// failed. One SplitMix64 stream, seeded from the seed alone, drives every random choice in
/// file order, so (experiment, seed) fixes the stream bit for bit.
public enum WorkloadGenerator {
    /// Trace workloads from this many events on are streamed by `run`: below it the program
    /// (32 B per event, 32 MiB here) costs less than reading the spilled ops back once per
    /// variant, which every cursor of a stream does (the bundled captures are 50,000-260,000
    /// events, run by up to 20 variants).
    public static let streamingThreshold = 1 << 20

    /// Events a whole program's array reserves at most before generation (an event bound is an
    /// upper bound: reserving it all could take far more than the program); past it the
    /// array doubles (`EngineFootprint.eventCapacity`).
    public static let reservedEvents = 1 << 22

    /// The workload as `run` consumes it: a trace-only workload of at least `threshold` events
    /// streamed (`streamed`), any other generated whole as by `generate`.
    public static func generate(_ experiment: Experiment, seed: UInt64, streamingFrom threshold: Int,
                                chunkSize: Int = TraceEventSource.defaultChunkSize) -> GeneratedWorkload {
        let traceEvents = experiment.workload.reduce(0) { n, phase in
            if case .trace(let t) = phase { n + t.summary.events } else { n }
        }
        if traceEvents >= threshold, let w = streamed(experiment, seed: seed, chunkSize: chunkSize) { return w }
        return generate(experiment, seed: seed)
    }

    /// A workload made only of `trace:` phases, as a stream (`TraceEventSource`): the decode
    /// pass's `TraceSummary` gives the counts, pre-capture frees and tallies up front. Nil for
    /// any other workload: generated phases are produced from the seed in a fraction of their
    /// simulation's time and are held whole, as before.
    public static func streamed(_ experiment: Experiment, seed: UInt64,
                                chunkSize: Int = TraceEventSource.defaultChunkSize) -> GeneratedWorkload? {
        var phases: [TracePhase] = []
        for phase in experiment.workload {
            guard case .trace(let t) = phase, t.summary.measured else { return nil }
            phases.append(t)
        }
        guard !phases.isEmpty else { return nil }
        var requests = 0, events = 0
        var preCapture: [PreCaptureBlock] = []
        var metrics: [String: Int] = [:]
        for t in phases {
            let offset = Int32(requests)
            preCapture += t.summary.preCapture.map { PreCaptureBlock(request: $0.request + offset, order: $0.order) }
            requests += t.summary.requests
            events += t.summary.events
            for (key, value) in t.summary.metrics { metrics[key, default: 0] += value }
        }
        var shape = Program(layout: experiment.machine.layout, events: [], requestCount: requests)
        shape.initialState = experiment.machine.procImport?.initialState(seed: seed)
        shape.initialState?.preCaptureBlocks = preCapture
        shape.reclaim = experiment.reclaim
        shape.seriesEvery = experiment.seriesEvery
        shape.agingMetrics = true
        var program = shape
        program.eventSource = TraceEventSource(phases: phases, servePreCapture: experiment.machine.procImport != nil,
                                               seed: seed, shape: shape, eventCount: events, chunkSize: chunkSize)
        return GeneratedWorkload(streamed: program, workloadMetrics: metrics)
    }

    public static func generate(_ experiment: Experiment, seed: UInt64) -> GeneratedWorkload {
        let (program, metrics) = build(experiment, seed: seed)
        return GeneratedWorkload(program: program, sha256: WorkloadHash.sha256(program), workloadMetrics: metrics)
    }

    /// The program alone, without its hash (`validate`'s census: `Experiment.programCensus`).
    public static func program(_ experiment: Experiment, seed: UInt64) -> Program {
        build(experiment, seed: seed).program
    }

    private static func build(_ experiment: Experiment, seed: UInt64) -> (program: Program, metrics: [String: Int]) {
        var state = GeneratorState(machine: experiment.machine, seed: seed,
                                   capacity: min(experiment.eventBound, reservedEvents))
        state.fromProc = experiment.machine.procImport != nil
        for phase in experiment.workload { state.emit(phase) }
        CPUAssignment.assign(&state.events, cpus: experiment.machine.layout.cpus, seed: seed)
        var program = Program(layout: experiment.machine.layout, events: state.events,
                              requestCount: Int(state.requestCount))
        program.initialState = experiment.machine.procImport?.initialState(seed: seed)
        program.initialState?.preCaptureBlocks = state.preCapture
        program.pageClasses = state.pageClasses
        program.reclaim = experiment.reclaim
        program.seriesEvery = experiment.seriesEvery
        program.agingMetrics = !state.pageClasses.isEmpty || experiment.reclaim != nil || experiment.seriesEvery > 0
            || experiment.workload.contains { if case .trace = $0 { return true } else { return false } }
        return (program, state.workloadMetrics)
    }
}

/// The generator's bookkeeping while it walks the phases.
struct GeneratorState {
    /// A generated request not yet freed by the generator (scripted requests are never listed).
    struct LiveRequest {
        var id: Int32
        var order: UInt8
        /// Target zone, or -1 for the zonelist.
        var zone: Int8
    }

    var rng: SplitMix64
    var events: [ProgramEvent] = []
    var requestCount: Int32 = 0
    /// Live generated requests in no particular order (swap-remove on free).
    var live: [LiveRequest] = []
    /// Pages of all live generated requests.
    var livePages = 0
    /// Pages of live generated requests aimed at each zone (`zone:` given).
    var livePagesByZone: [Int]
    /// Scripted request names → request ids.
    var named: [String: Int32] = [:]
    /// See `GeneratedWorkload.workloadMetrics`.
    var workloadMetrics: [String: Int] = [:]
    /// Per request, its `PageClass` (`Program.pageClasses`); stays empty without `age:`.
    var pageClasses: [UInt8] = []
    /// The `age:` phases' clock and pending frees.
    var age = AgeState()
    /// A trace's frees of pages allocated before the capture (`from_proc`, requests mode).
    var preCapture: [PreCaptureBlock] = []
    /// Whether the machine starts from an imported `/proc` state.
    var fromProc = false

    init(machine: MachineConfig, seed: UInt64, capacity: Int) {
        rng = SplitMix64(seed: seed)
        livePagesByZone = Array(repeating: 0, count: machine.layout.zones.count)
        events.reserveCapacity(capacity)
    }

    mutating func emit(_ phase: WorkloadPhase) {
        switch phase {
        case .fill(let f):
            while livePages(in: f.zone) < f.targetPages {
                allocate(f.mix, f.gfp, orders: f.orders, zone: f.zone)
            }
        case .churn(let c):
            for _ in 0..<c.events {
                if rng.below(1_000_000) < c.freePerMillion, !live.isEmpty {
                    freeLive(at: Int(rng.below(UInt64(live.count))))
                } else {
                    allocate(c.mix, c.gfp, orders: c.orders, zone: c.zone)
                }
            }
        case .contig(let c):
            for _ in 0..<c.count {
                events.append(ProgramEvent(.contig(start: pickStart(c), pages: c.pages, hold: c.hold)))
            }
            events.append(ProgramEvent(.sample(.contigPhase)))
        case .cmaAlloc(let area, let count, let pages):
            for _ in 0..<count { events.append(ProgramEvent(.cmaAlloc(area: area, pages: pages))) }
        case .cmaRelease(let area, let count):
            events.append(ProgramEvent(.cmaRelease(area: area, count: count ?? -1)))
        case .offline(let blocks):
            for b in blocks { events.append(ProgramEvent(.offline(block: b))) }
        case .online(let blocks):
            for b in blocks { events.append(ProgramEvent(.online(block: b))) }
        case .repeatSteps(let times, let steps):
            for _ in 0..<times {
                for step in steps { emit(step) }
                events.append(ProgramEvent(.sample(.drift)))
            }
        case .ops(let ops):
            for op in ops { emit(op) }
        case .trace(let t):
            emitTrace(t, fromProc: fromProc)
        case .age(let a):
            emitAge(a)
        }
    }

    func livePages(in zone: Int?) -> Int {
        zone.map { livePagesByZone[$0] } ?? livePages
    }

    mutating func nextRequest() -> Int32 {
        defer { requestCount += 1 }
        return requestCount
    }

    /// One generated request: a type from `mix` (or a mask from `gfp`, whose type it implies),
    /// then an order — one RNG draw each, in that order.
    mutating func allocate(_ mix: Distribution<AllocType>, _ gfp: Distribution<GFPMask>?, orders: Distribution<UInt8>, zone: Int?) {
        if let gfp {
            let mask = gfp.sample(&rng)
            allocate(type: mask.allocType ?? .unmovable, order: orders.sample(&rng), zone: zone, gfp: mask)
        } else {
            allocate(type: mix.sample(&rng), order: orders.sample(&rng), zone: zone)
        }
    }

    mutating func allocate(type: AllocType, order: UInt8, zone: Int?, gfp: GFPMask? = nil) {
        let id = nextRequest()
        let z = Int8(zone ?? -1)
        events.append(ProgramEvent(.alloc(request: id, order: order, type: type, zone: z, compound: nil, gfp: gfp)))
        live.append(LiveRequest(id: id, order: order, zone: z))
        livePages += 1 << Int(order)
        if let zone { livePagesByZone[zone] += 1 << Int(order) }
    }

    mutating func freeLive(at index: Int) {
        let r = live[index]
        live.swapAt(index, live.count - 1)
        live.removeLast()
        livePages -= 1 << Int(r.order)
        if r.zone >= 0 { livePagesByZone[Int(r.zone)] -= 1 << Int(r.order) }
        events.append(ProgramEvent(.free(request: r.id)))
    }

    /// A uniformly chosen candidate start of a contig phase.
    mutating func pickStart(_ c: ContigPhase) -> Int {
        var k = Int(rng.below(UInt64(c.totalSlots)))
        for run in c.slots {
            if k < run.count { return run.firstStart + k * c.alignment }
            k -= run.count
        }
        return c.slots[0].firstStart
    }

    /// A scripted op: its event carries the op's script index (`sample` carries -1).
    mutating func emit(_ op: ScriptedOp) {
        let script = Int32(op.index)
        let engineOp: EngineOp
        switch op.kind {
        case let .alloc(pfn, order, type, compound, zone, name, gfp):
            let id = nextRequest()
            if let name { named[name] = id }
            if let pfn {
                engineOp = .allocAt(pfn: pfn, request: id, order: UInt8(order), type: type, compound: compound, gfp: gfp)
            } else {
                engineOp = .alloc(request: id, order: UInt8(order), type: type, zone: Int8(zone ?? -1), compound: compound, gfp: gfp)
            }
        case .free(let name):
            engineOp = .free(request: named[name] ?? -1)
        case let .isolate(start, pages): engineOp = .isolate(start: start, pages: pages)
        case let .unisolate(start, pages): engineOp = .unisolate(start: start, pages: pages)
        case let .contig(start, pages, hold): engineOp = .contig(start: start, pages: pages, hold: hold)
        case let .cmaDeclare(base, pages): engineOp = .cmaDeclare(basePfn: base, pages: pages)
        case .offline(let b): engineOp = .offline(block: b)
        case .online(let b): engineOp = .online(block: b)
        case let .watermark(zone, mark, order): engineOp = .watermark(zone: zone, mark: UInt8(mark), order: UInt8(order))
        case .reserveHighatomic(let pfn): engineOp = .reserveHighatomic(pfn: pfn)
        case let .compact(zone, order, priority):
            engineOp = .compact(zone: zone, order: Int8(order ?? -1), priority: UInt8(priority.rawValue))
        case .sample(let kind): engineOp = .sample(kind)
        }
        events.append(ProgramEvent(engineOp, script: script, cpu: UInt8(truncatingIfNeeded: op.cpu)))
    }
}
