import BuddyCore

/// v5.19 pageblock alignment as merged with its fixes: Zi Yan's series b48d8a8e5ce5,
/// 844fbae63e46, b2c9e2fbba32, 6e263fff1de4, 11ac3e87ce09 plus 88ee134320b8, 9b209e557d69,
/// 86d28b070927 and 2590d4a5c4dc.
///
/// Differs from pre-5.19 mainline: isolates only the pageblocks the range touches; splits free
/// blocks and migrates movable compound pages that straddle the two boundaries
/// (`isolate_single_pageblock`, `split_free_page`); CMA aligns to `pageblock_nr_pages`.
public enum PageblockAlignment: ContigAlignment {
    public static let id = "pageblock"
    public static let summary = "isolate only touched pageblocks; split/migrate at the boundaries (v5.19)"
    public static func isolationOrder(_ g: Geometry) -> Int { g.pageblockOrder }
    public static let boundary = BoundaryHandling.fixed
    /// v5.19 as tagged passes the boundary block's own migratetype (80e2b584f3ab fixed it in v6.0).
    public static let boundaryIsolatesWithSavedMigratetype = true
}
