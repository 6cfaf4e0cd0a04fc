import BuddyCore

/// Zi Yan's "[PATCH v11 0/6] Use pageblock_order for cma and alloc_contig_range alignment"
/// (linux-mm, 2022-04-25) as posted, before the fix-ups Qian Cai's report led to.
///
/// Differs from the v5.19 merge (`PageblockAlignment`):
/// - the boundary pageblock is only retyped ISOLATE: no `has_unmovable_pages`, no
///   `move_freepages_block`, no accounting (fixed by 88ee134320b8);
/// - any compound page straddling a boundary is "migrated", and `__alloc_contig_migrate_range`
///   reports success even for a non-migratable one (fixed: migrate only LRU/movable/hugetlb);
/// - `head + nr < boundary` instead of `<=` (the 2022-05-19 loop);
/// - the search for the freed head is unbounded: it either finds an unrelated lower free block
///   and loops forever, or runs below `ram_start` (Qian Cai's arm64 crash at `pfn_to_page(0)`);
/// - `split_free_page` lacks its NR_FREE_PAGES decrement (86d28b070927) and orders its pieces
///   by the remaining offset's lowest bit.
/// buddylab detects the hang/crash conditions, records a `fault` and carries on.
public enum PageblockAlignmentV11: ContigAlignment {
    public static let id = "pageblock-v11"
    public static let summary = "v11 as posted: unchecked boundary flip, migrate any compound page, unbounded head search"
    public static func isolationOrder(_ g: Geometry) -> Int { g.pageblockOrder }
    public static let boundary = BoundaryHandling.v11Posted
    /// The bare boundary flip moves and counts nothing, and `split_free_page` lacks the decrement
    /// 86d28b070927 added: free pages on ISOLATE lists stay in NR_FREE_PAGES (NR_FREE_CMA_PAGES for
    /// a CMA boundary block).
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
