/// The six `kmem` page tracepoints buddylab reads (include/trace/events/kmem.h).
///
/// Which are requests and which are observations of the allocator's insides (checked against
/// mm/page_alloc.c of Debian's 6.1 and 6.12 trees and the 6.18 tracefs `format` files):
/// - `mm_page_alloc` — `__alloc_pages()` returned (or failed: no page) one request; a request.
/// - `mm_page_free` — `free_pages_prepare()`: every page freed, whichever path; a request.
/// - `mm_page_free_batched` — `free_unref_page_list()` (6.1) / `free_unref_folios()` (6.12+) when a
///   page of a batch goes onto a pcp list. Those paths call `free_pages_prepare()` first, so the
///   same page was already traced by `mm_page_free`: a second observation, not a second free.
/// - `mm_page_alloc_zone_locked` — `rmqueue_bulk()`/`rmqueue_buddy()` took a block from the buddy
///   lists under the zone lock (`percpu_refill=1` when it refills a pcp list).
/// - `mm_page_pcpu_drain` — `free_pcppages_bulk()` handed a pcp page back to the buddy lists.
/// - `mm_page_alloc_extfrag` — `steal_suitable_fallback()`/`try_to_claim_block()` fell back to
///   another migratetype's block.
public enum TraceEventKind: UInt8, Sendable, CaseIterable {
    case pageAlloc = 0
    case pageFree = 1
    case pageFreeBatched = 2
    case pageAllocZoneLocked = 3
    case pagePcpuDrain = 4
    case pageAllocExtfrag = 5

    /// The tracepoint name as the kernel prints it.
    public var name: String {
        switch self {
        case .pageAlloc: "mm_page_alloc"
        case .pageFree: "mm_page_free"
        case .pageFreeBatched: "mm_page_free_batched"
        case .pageAllocZoneLocked: "mm_page_alloc_zone_locked"
        case .pagePcpuDrain: "mm_page_pcpu_drain"
        case .pageAllocExtfrag: "mm_page_alloc_extfrag"
        }
    }

    /// Looks a name up among the six (`kmem:` prefix already stripped).
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> TraceEventKind? {
        // Every name starts "mm_page_"; dispatch on length, then compare the bytes.
        let candidate: TraceEventKind
        let name: StaticString
        switch bytes.count {
        case 13: candidate = .pageAlloc; name = "mm_page_alloc"
        case 12: candidate = .pageFree; name = "mm_page_free"
        case 20: candidate = .pageFreeBatched; name = "mm_page_free_batched"
        case 25: candidate = .pageAllocZoneLocked; name = "mm_page_alloc_zone_locked"
        case 18: candidate = .pagePcpuDrain; name = "mm_page_pcpu_drain"
        case 21: candidate = .pageAllocExtfrag; name = "mm_page_alloc_extfrag"
        default: return nil
        }
        return TraceLineParser.hasPrefix(bytes, 0, name) ? candidate : nil
    }
}

/// One parsed tracepoint line. Fields a tracepoint does not print are -1.
public struct TraceRecord: Sendable, Equatable {
    public var kind: TraceEventKind
    /// CPU the event was recorded on (`[001]`).
    public var cpu: Int
    /// Page frame number; -1 for an `mm_page_alloc` that returned no page.
    public var pfn: Int
    /// `order` (`alloc_order` for extfrag; 0 for `mm_page_free_batched`).
    public var order: Int
    /// `migratetype` (`alloc_migratetype` for extfrag); the numbering is the kernel's own (see
    /// `MigratetypeNumbering`).
    public var migratetype: Int
    /// `percpu_refill` of `mm_page_alloc_zone_locked` (v5.13+; -1 before).
    public var percpuRefill: Int
    /// `fallback_order` and `fallback_migratetype` of `mm_page_alloc_extfrag`.
    public var fallbackOrder: Int
    public var fallbackMigratetype: Int
    /// `change_ownership` of `mm_page_alloc_extfrag`.
    public var changeOwnership: Int
    /// 1-based line number in the (decompressed) text.
    public var line: Int
    /// 1-based columns of the `order` and `migratetype` values (`alloc_*` for extfrag; 0 when
    /// absent), so a check past the parser (an order above the machine's max_order) can point
    /// at the value. Where, not what: `==` ignores them.
    public var orderColumn = 0
    public var migratetypeColumn = 0
    /// `gfp_flags=` of `mm_page_alloc` as `GFPMask` bits; -1 when absent,
    /// `gfpUnreadable` when it names a flag `GFPMask` does not know.
    public var gfpFlags = -1
    public static let gfpUnreadable = -2

    public init(kind: TraceEventKind, cpu: Int, pfn: Int, order: Int, migratetype: Int = -1,
                percpuRefill: Int = -1, fallbackOrder: Int = -1, fallbackMigratetype: Int = -1,
                changeOwnership: Int = -1, line: Int) {
        self.kind = kind; self.cpu = cpu; self.pfn = pfn; self.order = order
        self.migratetype = migratetype; self.percpuRefill = percpuRefill
        self.fallbackOrder = fallbackOrder; self.fallbackMigratetype = fallbackMigratetype
        self.changeOwnership = changeOwnership; self.line = line
    }

    public static func == (a: TraceRecord, b: TraceRecord) -> Bool {
        a.kind == b.kind && a.cpu == b.cpu && a.pfn == b.pfn && a.order == b.order && a.migratetype == b.migratetype
            && a.percpuRefill == b.percpuRefill && a.fallbackOrder == b.fallbackOrder
            && a.fallbackMigratetype == b.fallbackMigratetype && a.changeOwnership == b.changeOwnership && a.line == b.line
    }
}

/// The kernel's `enum migratetype` numbering, which changed in v4.4.
///
/// Before 016c13daa5c9 ("mm, page_alloc: use masks and shifts when converting GFP flags to
/// migrate types", v4.4) the order was UNMOVABLE 0, RECLAIMABLE 1, MOVABLE 2; since then it is
/// UNMOVABLE 0, MOVABLE 1, RECLAIMABLE 2. A text trace does not say which kernel wrote it.
public enum MigratetypeNumbering: String, Sendable, CaseIterable {
    /// v4.4 and later (the default).
    case v4_4 = "v4.4"
    /// v2.6.24 … v4.3.
    case pre4_4 = "pre-v4.4"
}
