import BuddyCore

/// Yu Zhao, "mm/page_alloc: keep track of free highatomic" (lore, 2024-10; in Debian's
/// linux-source-6.12, 6.12.117: `zone->nr_free_highatomic` in `account_freepages`, subtracted by
/// `__zone_watermark_unusable_free`). On top of the v6.10 hygiene accounting
/// (`FreeListsInPrimitives`). Before it the watermark subtracted `nr_reserved_highatomic`:
/// his report shows an OOM kill with 1.4 GB free of which none was in a HIGHATOMIC block, the
/// 1 GB reserve being subtracted all the same.
public enum FreeListsTrackFreeHighatomic: FreeListAccounting {
    public static let id = "freelists-free-highatomic"
    public static let summary = "v6.10 in-list accounting plus nr_free_highatomic in the watermark (Yu Zhao 2024)"
    public static let inListPrimitives = true
    public static let pcpCachesMigratetype = false
    public static let isolationSplitsLargeBuddies = true
    public static let tracksFreeHighatomic = true
}
