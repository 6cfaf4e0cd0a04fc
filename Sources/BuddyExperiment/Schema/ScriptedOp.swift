import BuddyCore

/// One entry of `workload: - ops:`, resolved to pfns and indices.
///
/// Every op except `sample` gets a script index (0-based across the whole experiment, in file
/// order), which is what `expect: { op: I }` and the report's op table refer to.
public struct ScriptedOp: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `alloc: { pfn?, order, type?, gfp?, compound?, as?, zone? }`; `pfn` nil → anywhere (in
        /// `zone`, or the zonelist when nil); `gfp` nil → no mask (the engine's older path).
        case alloc(pfn: Int?, order: Int, type: AllocType, compound: Bool?, zone: Int?, name: String?, gfp: GFPMask?)
        /// `free: NAME` — the request named by an earlier `alloc … as: NAME`.
        case free(name: String)
        case isolate(start: Int, pages: Int)
        case unisolate(start: Int, pages: Int)
        /// `contig: { start, pages, hold? }` — `hold` (extension) defaults to false, as in the phase.
        case contig(start: Int, pages: Int, hold: Bool)
        case cmaDeclare(basePfn: Int, pages: Int)
        case offline(block: Int)
        case online(block: Int)
        /// `watermark: { zone, mark, order }`; mark 0 min, 1 low, 2 high.
        case watermark(zone: Int, mark: Int, order: Int)
        /// `reserve_highatomic: { pfn }` (extension): `reserve_highatomic_pageblock` of pfn's block,
        /// standing for the high-order atomic allocation that landed there.
        case reserveHighatomic(pfn: Int)
        /// `compact: { zone, order?, priority? }` (extension): `compact_memory` for the zone without
        /// `order`, else one direct compaction attempt (`try_to_compact_pages`) for it.
        case compact(zone: Int, order: Int?, priority: CompactPriority)
        /// `sample: drift` (extension): appends a point to the drift series; no result, no index.
        case sample(SampleKind)
    }

    /// Script index, or -1 for `sample` (which records no result).
    public var index: Int
    public var kind: Kind
    /// Line of the op in the experiment file (for messages).
    public var line: Int
    /// Short human description, e.g. `isolate 0x600+512` or `alloc order 3 movable as a1`.
    public var label: String
    /// The CPU an `alloc`/`free` runs on (`cpu:`, default 0; per-cpu pagesets).
    public var cpu: Int = 0

    public init(index: Int, kind: Kind, line: Int, label: String) {
        self.index = index; self.kind = kind; self.line = line; self.label = label
    }

    /// The op keyword as result records name it.
    public var keyword: String {
        switch kind {
        case .alloc: "alloc"
        case .free: "free"
        case .isolate: "isolate"
        case .unisolate: "unisolate"
        case .contig: "contig"
        case .cmaDeclare: "cma_declare"
        case .offline: "offline"
        case .online: "online"
        case .watermark: "watermark"
        case .reserveHighatomic: "reserve_highatomic"
        case .compact: "compact"
        case .sample: "sample"
        }
    }
}

/// `0x…` formatting shared by labels and machine descriptions.
enum Hex {
    static func string(_ value: Int) -> String {
        value < 0 ? "-0x" + String(-value, radix: 16) : "0x" + String(value, radix: 16)
    }
}
