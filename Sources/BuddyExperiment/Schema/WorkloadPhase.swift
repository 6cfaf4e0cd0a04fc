import BuddyCore

/// One step of `workload:`, resolved to pages, pfns and indices.
///
/// Phases are descriptions, not events: `WorkloadGenerator` expands them with a seeded RNG into
/// the `Program` every variant receives, so the same phase list and seed always give the same
/// request stream.
public indirect enum WorkloadPhase: Sendable, Equatable {
    /// `fill:` — allocation requests until the live requested pages reach a share of the scope.
    case fill(FillPhase)
    /// `churn:` — a mix of frees of live requests and new requests.
    case churn(ChurnPhase)
    /// `contig:` — `alloc_contig_range` attempts at seeded aligned positions.
    case contig(ContigPhase)
    /// `cma_alloc:` — `count` × `cma_alloc(area, pages)`.
    case cmaAlloc(area: Int, count: Int, pages: Int)
    /// `cma_release:` — release the `count` oldest allocations of the area (nil: all).
    case cmaRelease(area: Int, count: Int?)
    /// `offline:` — one offline attempt per memory block, in the given order.
    case offline(blocks: [Int])
    /// `online:` — one online attempt per memory block, in the given order.
    case online(blocks: [Int])
    /// `repeat:` — `steps` expanded `times` times, each iteration followed by a drift sample.
    case repeatSteps(times: Int, steps: [WorkloadPhase])
    /// `ops:` — scripted ops, each with a recorded result.
    case ops([ScriptedOp])
    /// `trace:` — replay of kmem page tracepoints (`TracePhase`).
    case trace(TracePhase)
    /// `age:` — classed requests with lifetimes (`AgePhase`, issue 23).
    case age(AgePhase)
}

extension WorkloadPhase {
    /// A `trace:` phase (a workload of these alone is streamed by `run`).
    public var isTrace: Bool { if case .trace = self { true } else { false } }

    /// Whether the phase can free a workload allocation (`Experiment.runFootprintBytes`): only
    /// `fill`, `offline`/`online` and ops without a `free:` cannot; anything else is counted as
    /// freeing (an estimate may only overstate here).
    var mayFreeHandles: Bool {
        switch self {
        case .fill, .offline, .online: false
        case .ops(let ops): ops.contains { if case .free = $0.kind { true } else { false } }
        case .repeatSteps(_, let steps): steps.contains(where: \.mayFreeHandles)
        default: true
        }
    }

    /// Whether `WorkloadGenerator` makes seeded random choices for this phase that can differ
    /// between seeds (request types and orders, frees, contig positions): then different seeds
    /// give different request streams. A fill of one type at one order draws the same request
    /// every time (e.g. `highatomic-watermark`'s order-10 movable fill), so it does not count.
    public var drawsFromSeed: Bool {
        switch self {
        case .fill(let f): return f.mix.values.count > 1 || f.orders.values.count > 1
        case .churn: return true
        case .contig(let c): return c.totalSlots > 1
        case .repeatSteps(_, let steps): return steps.contains(where: \.drawsFromSeed)
        case .age: return true
        case .cmaAlloc, .cmaRelease, .offline, .online, .ops, .trace: return false
        }
    }
}

/// `fill: { until, mix, orders, zone? }`.
public struct FillPhase: Sendable, Equatable {
    /// Target of live requested pages (already `until` × scope pages, rounded up).
    public var targetPages: Int
    /// Zone index, or nil for the zonelist (all RAM is the scope; requests may land anywhere).
    public var zone: Int?
    public var mix: Distribution<AllocType>
    public var orders: Distribution<UInt8>
    /// `gfp:` — masks drawn instead of `mix:` (each mask's `gfp_migratetype` is the type); nil: none.
    public var gfp: Distribution<GFPMask>?
    public init(targetPages: Int, zone: Int?, mix: Distribution<AllocType>, orders: Distribution<UInt8>,
                gfp: Distribution<GFPMask>? = nil) {
        self.targetPages = targetPages; self.zone = zone; self.mix = mix; self.orders = orders; self.gfp = gfp
    }
}

/// `churn: { events, mix, orders, free_ratio, zone? }`.
public struct ChurnPhase: Sendable, Equatable {
    public var events: Int
    /// Probability of a free, in parts per million (`free_ratio` × 10⁶).
    public var freePerMillion: UInt64
    public var zone: Int?
    public var mix: Distribution<AllocType>
    public var orders: Distribution<UInt8>
    /// As `FillPhase.gfp`.
    public var gfp: Distribution<GFPMask>?
    public init(events: Int, freePerMillion: UInt64, zone: Int?, mix: Distribution<AllocType>,
                orders: Distribution<UInt8>, gfp: Distribution<GFPMask>? = nil) {
        self.events = events; self.freePerMillion = freePerMillion; self.zone = zone
        self.mix = mix; self.orders = orders; self.gfp = gfp
    }
}

/// `contig: { count, size, zone?, hold? }`, with the candidate positions already computed.
public struct ContigPhase: Sendable, Equatable {
    public var count: Int
    /// Pages per attempt (`size` / page size).
    public var pages: Int
    /// Alignment of the start pfn: the next power of two ≥ `pages`, at least a pageblock.
    public var alignment: Int
    /// Candidate starts, one run per zone in scope; an attempt never straddles zones.
    public var slots: [ContigSlots]
    /// Keep the pages after a success (`hold: true`), else free them at once.
    public var hold: Bool
    public init(count: Int, pages: Int, alignment: Int, slots: [ContigSlots], hold: Bool) {
        self.count = count; self.pages = pages; self.alignment = alignment; self.slots = slots; self.hold = hold
    }

    /// Number of candidate starts over all runs.
    public var totalSlots: Int { slots.reduce(0) { $0 + $1.count } }
}

/// `count` candidate start pfns `firstStart + k·alignment`.
public struct ContigSlots: Sendable, Equatable {
    public var firstStart: Int
    public var count: Int
    public init(firstStart: Int, count: Int) { self.firstStart = firstStart; self.count = count }
}
