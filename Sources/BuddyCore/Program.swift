/// The engine's input: a variant-independent stream of operations, generated from
/// (experiment, seed) alone by BuddyExperiment. A free names the k-th allocation *request*; it is
/// a no-op where that allocation failed in a given variant.
public enum EngineOp: Sendable, Equatable {
    /// Allocation request `request` (0-based, unique) anywhere in `zone` (-1: zonelist order).
    /// `gfp`: the request's gfp mask (Machine+SlowPath.swift); nil for a request written without
    /// one, which keeps the engine's older MIN-only path and its stored results. A new request
    /// attribute goes here too, so every consumer's pattern stops compiling until it handles it.
    case alloc(request: Int32, order: UInt8, type: AllocType, zone: Int8, compound: Bool?, gfp: GFPMask?)
    /// Scripted allocation at an exact pfn (`gfp` is recorded for the hash and the texts; a
    /// pinned placement runs no allocator path). `pfn` first: Swift lays a case's payload out
    /// in declaration order, and `Int32, Int, …` padded this largest case to 25 bytes and every
    /// `ProgramEvent` to a 40-byte stride; `Int, Int32, …` is 21 bytes and a 32-byte stride
    /// (issue 25: a program is 20 % smaller).
    case allocAt(pfn: Int, request: Int32, order: UInt8, type: AllocType, compound: Bool?, gfp: GFPMask?)
    case free(request: Int32)
    case isolate(start: Int, pages: Int)
    case unisolate(start: Int, pages: Int)
    /// `alloc_contig_range(start, start+pages)`; `hold` keeps the pages, else they are freed
    /// right after a success (an attempt that does not change the state for the next one).
    case contig(start: Int, pages: Int, hold: Bool)
    /// `cma_init_reserved_mem(base, size)` check (and activation of the area when it succeeds).
    case cmaDeclare(basePfn: Int, pages: Int)
    case cmaAlloc(area: Int, pages: Int)
    /// Release the `count` oldest allocations of the area (-1: all).
    case cmaRelease(area: Int, count: Int)
    case offline(block: Int)
    case online(block: Int)
    /// `zone_watermark_ok_safe(zone, order, mark)`: mark 0 min, 1 low, 2 high.
    case watermark(zone: Int, mark: UInt8, order: UInt8)
    /// Append a point to a series (see `SampleKind`).
    case sample(SampleKind)
    /// `reserve_highatomic_pageblock` of the block holding `pfn` (Machine+HighAtomic.swift).
    case reserveHighatomic(pfn: Int)
    /// Compaction of `zone` (Compaction/): `order` -1 is `compact_memory` (whole zone, sync),
    /// else one direct compaction attempt for that order at `priority` (`CompactPriority`).
    case compact(zone: Int, order: Int8, priority: UInt8)
}

public enum SampleKind: UInt8, Sendable {
    /// NR_FREE_PAGES drift (counter − truth) and NR_FREE_PAGES, e.g. after each offline/online cycle.
    case drift = 0
    /// Contiguous-range successes since the previous `contigPhase` sample, e.g. per fill level.
    case contigPhase = 1
    /// End of an `age:` phase: high-order attempts and successes since the previous one.
    case agePhase = 2
}

/// One event: an op and, for scripted ops, its index in the experiment's script (else -1).
public struct ProgramEvent: Sendable, Equatable {
    public var op: EngineOp
    public var script: Int32
    /// The CPU an alloc or free runs on (0 on a one-CPU machine; seeded, `CPUAssignment`).
    public var cpu: UInt8
    public init(_ op: EngineOp, script: Int32 = -1, cpu: UInt8 = 0) {
        self.op = op; self.script = script; self.cpu = cpu
    }
}

public struct Program: Sendable {
    public var layout: MachineLayout
    public var events: [ProgramEvent]
    /// Number of allocation requests (sizes the request → handle table up front).
    public var requestCount: Int
    /// Starting state instead of "all free" (`machine: { from_proc: … }`), or nil.
    public var initialState: InitialState? = nil
    /// Per request, its `PageClass` raw value (issue 23's `age:` phases); empty when no request
    /// has a class. Shorter than `requestCount` when the last requests have none.
    public var pageClasses: [UInt8] = []
    /// `reclaim:` — the reclaim stand-in's settings, nil: nothing is reclaimed.
    public var reclaim: ReclaimConfig? = nil
    /// `series: { every: N }` — a time-series point every N events (0: none). Not part of the
    /// request stream (it observes, it changes nothing), so not hashed.
    public var seriesEvery = 0
    /// Whether the run reports the aging metrics (high-order success, extfrag claims/steals,
    /// per-class counts): set for workloads with classes, reclaim, series or traces, so every
    /// other experiment keeps exactly its old metric set.
    public var agingMetrics = false
    /// Set for a streamed program (`ProgramEventSource`): the events come from it in chunks and
    /// `events` stays empty. Nil: `events` is the whole program.
    public var eventSource: (any ProgramEventSource)? = nil
    public init(layout: MachineLayout, events: [ProgramEvent], requestCount: Int) {
        self.layout = layout; self.events = events; self.requestCount = requestCount
    }
    /// A program with a `compact` op, or with `reclaim:` (a closed-loop machine: the kernel's
    /// slow path compacts costly orders and kswapd wakes kcompactd), runs with the compaction
    /// model on; every other program keeps the stand-in (Compaction/CompactingProgress.swift), so
    /// its results are as before compaction was modelled.
    /// A streamed program's source is a trace (no `compact` op): `events` is empty then.
    public var usesCompaction: Bool {
        reclaim != nil || events.contains { if case .compact = $0.op { true } else { false } }
    }
}

/// How a run is checked.
public struct RunOptions: Sendable {
    /// Run the structural checker every this many events (0: only at the end).
    public var checkEvery: Int
    /// Called with `progressEvents` after every `progressEvents` events of a run (a progress line
    /// for long runs: a 10⁷-event trace is seconds per variant). Nil costs one predictable branch.
    public var onEvents: (@Sendable (Int) -> Void)?
    /// The progress tick, a power of two (the loop tests `e & (tick - 1)`).
    public static let progressEvents = 1 << 20
    /// The worker's frame buffers, reused from run to run (`FrameBufferCache`); nil: each run
    /// allocates its own. Results are the same either way.
    public var frameBuffers: FrameBufferCache?
    public init(checkEvery: Int = 0, onEvents: (@Sendable (Int) -> Void)? = nil) {
        self.checkEvery = checkEvery; self.onEvents = onEvents
    }
}
