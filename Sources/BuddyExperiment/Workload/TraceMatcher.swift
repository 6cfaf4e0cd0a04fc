import BuddyCore
import BuddyTrace

/// Turns a trace's records into engine ops, one record at a time: `mm_page_alloc` → a request
/// (`.alloc`, or `.allocAt` the traced pfn in `pfn` mode), `mm_page_free` → a free of the
/// request holding that pfn.
///
/// The one place a trace becomes requests: the decode pass runs it to learn the exact event
/// and request counts (the workload hash and the engine's request table need them before the
/// first event) and the tallies, and every generation pass — a whole program or a stream's
/// cursor — runs it again over the same records, so all of them agree by construction.
///
/// Frees are matched to requests by pfn in `live` (`LivePageTable`), which holds only the pages
/// allocated and not yet freed (an entry removed on every free): its size follows the trace's
/// live pages, never its length (`peakLive` records the largest it grew to).
struct TraceMatcher {
    let mode: TracePhase.Mode
    let numbering: MigratetypeNumbering
    let useGFP: Bool
    /// `from_proc` + requests mode: frees of pages allocated before the capture become requests
    /// bound to the imported state (`PreCaptureBlock`).
    let servePreCapture: Bool
    /// The next request id (the phase's first request is the program's `requestCount` so far).
    private(set) var nextRequest: Int32
    /// Live traced pages: pfn → (request, order).
    private(set) var live = LivePageTable()
    /// Pfns whose pre-capture page was already freed (a second untracked free of the same page
    /// before the trace allocates it again is not a second page).
    private var preFreed = Set<Int>()
    private(set) var tally = TraceTally()
    /// Pre-capture frees met so far, in order.
    private(set) var preCapture: [PreCaptureBlock] = []
    /// Ops produced so far.
    private(set) var events = 0
    /// The most live pages `live` held at once.
    private(set) var peakLive = 0

    init(_ t: TracePhase, servePreCapture: Bool, firstRequest: Int32) {
        mode = t.mode; numbering = t.numbering; useGFP = t.useGFP
        self.servePreCapture = servePreCapture && t.mode == .requests
        nextRequest = firstRequest
    }

    var liveCount: Int { live.count }

    private mutating func request() -> Int32 {
        defer { nextRequest += 1 }
        return nextRequest
    }

    /// The op `r` becomes, or nil (an observation, an untracked free, a pinned replay's failed
    /// allocation).
    mutating func consume(_ r: TraceRecord) -> EngineOp? {
        guard let op = translate(r) else { return nil }
        events += 1
        return op
    }

    private mutating func translate(_ r: TraceRecord) -> EngineOp? {
        switch r.kind {
        case .pageAlloc:
            let type = TraceMapping.allocType(r.migratetype, numbering) ?? .unmovable
            let gfp = useGFP && r.gfpFlags >= 0 ? GFPMask(rawValue: UInt32(r.gfpFlags)) : nil
            if r.pfn < 0 {
                tally.kernelAllocFailures += 1
                guard mode == .requests else { return nil }
                tally.allocs += 1
                return .alloc(request: request(), order: UInt8(r.order), type: type, zone: -1, compound: nil, gfp: gfp)
            }
            let id = request()
            if live.update(pfn: r.pfn, request: id, order: UInt8(r.order)) { tally.missingFrees += 1 }
            if live.count > peakLive { peakLive = live.count }
            // Only a `from_proc` replay ever fills the set: skip its hash otherwise.
            if !preFreed.isEmpty { preFreed.remove(r.pfn) }
            tally.allocs += 1
            switch mode {
            case .requests:
                return .alloc(request: id, order: UInt8(r.order), type: type, zone: -1, compound: nil, gfp: gfp)
            case .pfn:
                return .allocAt(pfn: r.pfn, request: id, order: UInt8(r.order), type: type, compound: nil, gfp: gfp)
            }
        case .pageFree, .pageFreeBatched:
            guard let held = live.remove(pfn: r.pfn) else {
                if r.kind != .pageFree { tally.observations += 1; return nil }
                if servePreCapture, preFreed.insert(r.pfn).inserted {
                    // Allocated before the capture: a request bound to imported memory.
                    let id = request()
                    preCapture.append(PreCaptureBlock(request: id, order: r.order))
                    tally.preCaptureFrees += 1
                    return .free(request: id)
                }
                tally.untrackedFrees += 1
                return nil
            }
            if Int(held.order) != r.order { tally.freeOrderMismatches += 1 }
            tally.frees += 1
            return .free(request: held.request)
        case .pageAllocExtfrag:
            tally.observations += 1
            tally.captureExtfrag += 1
            if r.changeOwnership == 1 { tally.captureExtfragClaims += 1 }
            return nil
        case .pageAllocZoneLocked, .pagePcpuDrain:
            tally.observations += 1
            return nil
        }
    }

    /// The tallies with the pass's lost-event markers.
    func finalTally(_ stats: TraceStats) -> TraceTally {
        var t = tally
        t.lostEventMarkers = stats.lostEventMarkers
        return t
    }
}

/// What a trace phase becomes, learned by the decode pass (`TraceMatcher` over every record):
/// enough to hash and size a streamed program before its first event is produced.
public struct TraceSummary: Sendable, Equatable {
    /// Engine events the phase produces.
    public var events = 0
    /// Requests it allocates (traced allocations and pre-capture frees).
    public var requests = 0
    /// Pre-capture frees, request ids counted from the phase's first request (0).
    public var preCapture: [PreCaptureBlock] = []
    /// Variant-independent tallies (`TraceTally.metrics`).
    public var metrics: [String: Int] = [:]
    /// The most pages the matching table held at once (its size is bounded by this).
    public var peakLive = 0
    /// Set by the decode pass (a phase built by hand has no summary and is never streamed).
    public var measured = false
    /// The ops themselves, written by the decode pass: generation and every stream cursor read
    /// them instead of parsing the trace again (nil for a phase built by hand).
    var spill: TraceSpill? = nil
    /// Wall seconds the decode pass took (what `validate` reports as the cost of the one parse).
    public var decodeSeconds = 0.0
    /// Bytes of ops the spill keeps on disk (0 while they fit in memory).
    public var spillFileBytes: Int { spill?.fileBytes ?? 0 }
    public init() {}

    /// The spill is derived from the same records as the counts: equal summaries of the same
    /// file hold the same ops, so it takes no part in equality.
    public static func == (a: TraceSummary, b: TraceSummary) -> Bool {
        a.events == b.events && a.requests == b.requests && a.preCapture == b.preCapture && a.metrics == b.metrics
            && a.peakLive == b.peakLive && a.measured == b.measured
    }
}
