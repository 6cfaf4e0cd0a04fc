import BuddyTrace

/// `trace: { file, mode, migratetypes? }` — replay of a kernel's kmem page tracepoints.
///
/// The file is streamed (never held in memory) once, when the experiment is decoded — every
/// line is checked then, so a bad line stops the run before anything is written — and the ops
/// it becomes are kept in a `TraceSpill` that every seed's program is generated from. Only `mm_page_alloc` and `mm_page_free` become events; the other
/// four tracepoints are observations of the kernel's insides (see `TraceEventKind`) and are
/// counted. The program built from the trace is covered by `workload_sha256`.
public struct TracePhase: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Every `mm_page_alloc` is a request (order, migratetype) the variant places itself; a
        /// `mm_page_free` frees the request the traced pfn belongs to.
        case requests
        /// Every `mm_page_alloc` is pinned at the pfn the kernel returned; where the variant
        /// cannot hand out that pfn at that moment it records a `trace-pfn-divergence` fault.
        case pfn
    }

    /// The path as written in the experiment (messages, reports).
    public var file: String
    /// The path opened (resolved against the experiment file's directory).
    public var path: String
    public var mode: Mode
    public var numbering: MigratetypeNumbering
    /// What the decode pass met.
    public var stats: TraceStats
    /// `gfp: true`: requests carry the line's `gfp_flags=` mask (default false: no mask).
    public var useGFP = false
    /// The decode pass's count of `mm_page_alloc` and `mm_page_free(_batched)` records: at
    /// least the events the trace becomes, so generation reserves its events once instead of
    /// growing by doubling (a doubling step held the old and the new array: peak RSS 68 B per
    /// event at 10⁷ events instead of the program's own stride).
    public var eventBound = 0
    /// What the decode pass's `TraceMatcher` made of the records (exact event and request
    /// counts, pre-capture frees, tallies): a streamed program is sized and hashed from it.
    public var summary = TraceSummary()

    public init(file: String, path: String, mode: Mode, numbering: MigratetypeNumbering, stats: TraceStats) {
        self.file = file; self.path = path; self.mode = mode; self.numbering = numbering; self.stats = stats
    }
}
