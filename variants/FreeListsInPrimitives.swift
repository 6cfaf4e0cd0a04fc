import BuddyCore

/// v6.10, Johannes Weiner, "mm: page_alloc: freelist migratetype hygiene" (lore:
/// "[PATCH V4 00/10] mm: page_alloc: freelist migratetype hygiene", 2024-03-20; merged for
/// v6.10 with "mm: page_alloc: consolidate free page accounting", "mm: page_alloc: fix freelist
/// movement during block conversion" and "mm: page_alloc: close migratetype race between
/// freeing and stealing", which removed the pcp migratetype cache).
///
/// NR_FREE_PAGES / NR_FREE_CMA_PAGES are kept by the list primitives (`account_freepages`), so
/// no caller can drift them; `free_pcppages_bulk` reads the pageblock's type at drain time, so a
/// page whose block was stolen while it sat on a pcp list returns to the right list; blocks are
/// converted only when claimed whole, and a merge across blocks retypes the buddy's block.
public enum FreeListsInPrimitives: FreeListAccounting {
    public static let id = "freelists-in-primitives"
    public static let summary = "accounting in the list primitives; no pcp migratetype caching (v6.10)"
    public static let inListPrimitives = true
    public static let pcpCachesMigratetype = false
    public static let isolationSplitsLargeBuddies = true
}
