/// Runs a `Program` on a fresh `Machine<S>` and collects what the contract reports.
/// Generic over the variant's strategies and `@inlinable`, so the registry's closure gets a
/// fully specialised event loop per variant.
public struct ScriptOutcome: Sendable, Equatable {
    public var index: Int
    public var op: String
    public var result: OpResult
    public var detail: String
}

public struct RawRun: Sendable {
    public var metrics: [String: Int] = [:]
    public var ops: [ScriptOutcome] = []
    public var faults: [(event: Int, kind: String, detail: String)] = []
    /// `trace: { mode: pfn }`: kernel allocations this variant could not have returned at the
    /// kernel's pfn (`pinnedDivergenceKind`). A divergence of the replay, not a fault: the
    /// variant did nothing the kernel would crash on, it merely holds that pfn elsewhere.
    public var divergences: [(event: Int, kind: String, detail: String)] = []
    public var series: [String: [Int]] = [:]
    /// `series: { every: N }`: the time series (`TimeSeriesRecorder`), `t` first; empty without.
    public var timeSeries: [String: [Int]] = [:]
    public var pageblockMap: [(zone: String, map: String)] = []
    /// Per zone, the free share of each pageblock (`Machine.pageblockFreeShares`).
    public var pageblockFree: [(zone: String, shares: String)] = []
    public var buddyinfo = ""
    public var pagetypeinfo = ""
    /// `/proc/zoneinfo` summary (`Machine.procZoneinfo`): spanned / present / managed per zone.
    public var zoneinfo = ""
    /// First structural violations found (empty when sound).
    public var violations: [String] = []
    public var cmaReserved: [(name: String, base: Int, pages: Int)] = []
    public init() {}
}

public struct Simulation<S: StrategySet> {
    public let program: Program
    public let options: RunOptions
    public init(_ program: Program, options: RunOptions = RunOptions()) {
        self.program = program; self.options = options
    }

    /// Counters the executor keeps beside the engine's own.
    public struct Tally {
        public var contigAttempts = 0, contigSuccesses = 0, contigEbusy = 0, contigFaults = 0
        public var cmaAllocs = 0, cmaFailures = 0
        public var offlineOK = 0, offlineFailed = 0, onlineOK = 0
        public var violationChecks = 0, violationCount = 0
        public var contigAtLastSample = 0
        /// Requests of order > PAGE_ALLOC_COSTLY_ORDER and those that succeeded (aging metrics).
        public var highOrder = TimeSeriesRecorder.Counters()
        public var highOrderAtLastPhase = (attempts: 0, successes: 0)
        /// Per `PageClass`: requests and failed requests (empty unless the program has classes).
        public var classRequests: [Int] = []
        public var classFailures: [Int] = []
        public init() {}
    }

    /// A streamed program keeps only its live requests' handles (`LiveRequestHandles`), so a
    /// run's memory does not grow with the trace's length; a program held whole indexes a dense
    /// table (`DenseRequestHandles`). Same results either way: a request's free finds the handle
    /// its allocation got, or none.
    @inlinable
    public func run() -> RawRun {
        if program.eventSource != nil {
            var handles = LiveRequestHandles()
            defer { handles.deallocate() }
            return run(&handles)
        }
        var handles = DenseRequestHandles(count: program.requestCount)
        return run(&handles)
    }

    @inlinable
    public func run<H: RequestHandleMap>(_ handles: inout H) -> RawRun {
        let m = Machine<S>(layout: program.layout, frameBuffers: options.frameBuffers)
        m.compactionEnabled = program.usesCompaction
        var out = RawRun()
        var tally = Tally()
        if let s = program.initialState {
            m.importInitialState(s)
            // The import must leave every counter equal to the lists it built, whatever drift
            // the design later allows (issue 18: a double-counted import read as design drift).
            let bad = m.undeclaredDrift(allowed: [])
            if !bad.isEmpty { tally.violationCount += bad.count; out.violations = bad.map { "after import: " + $0 } }
        }
        setUpCMA(m, &out)
        let reclaimOn = program.reclaim != nil
        if let rc = program.reclaim { m.enableReclaim(rc, classes: program.pageClasses, requestCount: program.requestCount) }
        let classes = program.pageClasses
        if !classes.isEmpty {
            tally.classRequests = Array(repeating: 0, count: PageClass.allCases.count)
            tally.classFailures = tally.classRequests
        }
        let seriesEvery = program.seriesEvery
        var recorder = TimeSeriesRecorder(every: seriesEvery, maxOrder: m.geometry.maxOrder, withReclaim: reclaimOn,
                                          capacity: seriesEvery > 0 ? program.eventCount / seriesEvery + 2 : 0)
        if seriesEvery > 0 { recorder.sample(m, t: 0, tally.highOrder) }
        if let s = program.initialState, !s.preCaptureBlocks.isEmpty {
            for (r, h) in m.bindPreCaptureBlocks(s.preCaptureBlocks) where r >= 0 && Int(r) < program.requestCount {
                handles.bind(r, to: Int32(truncatingIfNeeded: h))
            }
        }
        var cmaLive: [[(base: Int, pages: Int)]] = Array(repeating: [], count: m.cmaAreas.count)
        var minFree = m.totalNrFreePages
        // The whole program, or a stream's chunks one after another (ProgramEventSource.swift):
        // `events` is the one buffer the loop reads, refilled by the cursor in place (no other
        // reference to it is alive then, so refilling never copies). `e` counts events across
        // chunks, so faults, series points and checks see the same indices either way.
        let cursor = program.eventSource?.makeCursor()
        var events = cursor == nil ? program.events : []
        var more = true
        if let cursor { more = cursor.next(into: &events) }
        var base = 0
        let onEvents = options.onEvents
        while more {
            // The chunk as an immutable local: the loop reads it without reloading `events`,
            // which `next(into:)` may refill (reading the `var` took 0.88-1.02 s against
            // 0.65-0.78 s for 10^7 in-memory events). Released at the end of the block, before
            // `next` refills `events` in place.
            let n: Int
            do {
                let chunk = events
                n = chunk.count
                var i = 0
                while i < n {
                    let k = i
                    let e = base &+ k
                    let event = chunk[k]
                    i &+= 1
                    if let onEvents, e & (RunOptions.progressEvents - 1) == RunOptions.progressEvents - 1 {
                        onEvents(RunOptions.progressEvents)
                    }
                    let faultsBefore = m.faults.count
                    // Lookahead prefetch (Machine+Prefetch.swift): the handle-table entry of the free
                    // eight events ahead, the frames of the free four events ahead (within the chunk:
                    // a hint, never a result).
                    if k &+ 8 < n, case let .free(r) = chunk[k &+ 8].op {
                        let h = handles.handle(of: r)
                        if h >= 0 { m.prefetchHandle(Int(h)) }
                    }
                    if k &+ 4 < n, case let .free(r) = chunk[k &+ 4].op {
                        let h = handles.handle(of: r)
                        if h >= 0 { m.prefetchFree(handle: Int(h)) }
                    }
                    if S.Era.pcp != .none { m.currentCPU = Int(event.cpu) }
                    switch event.op {
                    case let .alloc(request, order, type, z, compound, gfp):
                        let zone = z >= 0 ? Int(z) : nil
                        let h = gfp.map { m.allocate(zone: zone, order: Int(order), type: type, compound: compound, gfp: $0) }
                            ?? m.allocate(zone: zone, order: Int(order), type: type, compound: compound)
                        handles.bind(request, to: Int32(truncatingIfNeeded: h))
                        if order > 3 {   // PAGE_ALLOC_COSTLY_ORDER
                            tally.highOrder.highOrderAttempts &+= 1
                            if h >= 0 { tally.highOrder.highOrderSuccesses &+= 1 }
                        }
                        if Int(request) < classes.count {
                            let c = Int(classes[Int(request)])
                            tally.classRequests[c] &+= 1
                            if h < 0 { tally.classFailures[c] &+= 1 }
                        }
                        if reclaimOn { m.reclaimNoteAlloc(request: request, handle: h) }
                        if event.script >= 0 {
                            record(&out, event, "alloc", h >= 0 ? .ok : .enomem,
                                   h >= 0 ? "pfn \(hex(Int(m.handlePfn[h])))" : "no free block of order \(order)")
                        }
                    case let .free(request):
                        let h = handles.handle(of: request)
                        if h >= 0 {
                            // A request the reclaim stand-in took back is already free: a no-op here.
                            if !reclaimOn || m.reclaimNoteFree(request: request) { m.free(handle: Int(h)) }
                            handles.unbind(request)
                        }
                        if event.script >= 0 { record(&out, event, "free", .ok, h >= 0 ? "" : "request had failed: no-op") }
                    default:
                        runRare(m, event, at: e, &out, &tally, &handles, &cmaLive)
                    }
                    if reclaimOn { S.Progress.afterEvent(m) }
                    let total = m.totalNrFreePages
                    if total < minFree { minFree = total }
                    if seriesEvery > 0, (e &+ 1) % seriesEvery == 0 { recorder.sample(m, t: e &+ 1, tally.highOrder) }
                    if m.faults.count > faultsBefore {
                        for f in m.faults[faultsBefore...] { out.faults.append((e, f.kind, f.detail)) }
                    }
                    if options.checkEvery > 0, (e &+ 1) % options.checkEvery == 0 { check(m, &out, &tally) }
                }
            }
            base &+= n
            more = cursor?.next(into: &events) ?? false
        }
        let eventCount = base
        check(m, &out, &tally)
        if seriesEvery > 0 {
            if recorder.lastTime != eventCount { recorder.sample(m, t: eventCount, tally.highOrder) }
            out.timeSeries = recorder.series
        }
        collectMetrics(m, &out, tally, minFree: minFree)
        return out
    }

    public func record(_ out: inout RawRun, _ event: ProgramEvent, _ op: String, _ r: OpResult, _ detail: String) {
        out.ops.append(ScriptOutcome(index: Int(event.script), op: op, result: r, detail: detail))
    }

    public func check(_ m: Machine<S>, _ out: inout RawRun, _ tally: inout Tally) {
        // Structure first, then counter drift the variant did not declare (DeclaredDrift.swift).
        let v = m.structuralViolations() + m.undeclaredDrift()
        tally.violationChecks += 1
        if !v.isEmpty {
            tally.violationCount += v.count
            if out.violations.isEmpty { out.violations = v }
        }
    }

    /// CMA areas of the machine description: `cma_declare_contiguous` rounding, then activation.
    public func setUpCMA(_ m: Machine<S>, _ out: inout RawRun) {
        for spec in program.layout.cma {
            guard let (base, pages) = m.cmaDeclareContiguous(basePfn: spec.basePfn, pages: spec.pages) else {
                out.faults.append((-1, "cma-reserve-failed",
                                   "cma area \(spec.name): cma_declare_contiguous -EINVAL, fixed base \(hex(spec.basePfn ?? 0)) not aligned to \(m.cmaAlignmentPages) pages"))
                continue
            }
            let a = m.cmaAlignmentPages
            let chosen: Int
            if let b = base { chosen = b } else {
                // memblock allocates top-down: the highest aligned base below the first
                // non-movable zone's end.
                let z = (0..<m.zoneCount).last { !m.zone[$0].isMovableZone } ?? 0
                chosen = (m.zone[z].endPfn - pages) / a * a
            }
            if m.activateCMA(name: spec.name, basePfn: chosen, pages: pages) == .ok {
                out.cmaReserved.append((spec.name, chosen, pages))
            } else {
                out.faults.append((-1, "cma-reserve-failed",
                                   "cma area \(spec.name) of \(pages) pages at \(hex(chosen)) could not be reserved"))
            }
        }
    }
}
