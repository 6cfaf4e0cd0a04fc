import BuddyCore

/// Pre-5.19 alignment: `alloc_contig_range` isolates `[pfn_max_align_down(start),
/// pfn_max_align_up(end))`, i.e. whole `max(MAX_ORDER_NR_PAGES, pageblock_nr_pages)` units, and
/// CMA aligns to `CMA_MIN_ALIGNMENT_PAGES = MAX_ORDER_NR_PAGES` (mm/page_alloc.c, mm/cma.c,
/// v3.5–v5.18).
///
/// Why it existed (v3.6 comment): so the buddy allocator never merges across pageblocks of
/// different isolation state. Its cost: every pageblock of the enlarged range must pass
/// `has_unmovable_pages`, including neighbours the caller never asked for (§5.3).
public enum MaxOrderAlignment: ContigAlignment {
    public static let id = "max-order"
    public static let summary = "isolate max(MAX_ORDER-1, pageblock)-aligned units (pre-5.19)"
    public static func isolationOrder(_ g: Geometry) -> Int { max(g.maxOrder, g.pageblockOrder) }
    public static let boundary = BoundaryHandling.none
}
