/// The axes that arrived with today's (v5.13–v6.15) allocator: per-cpu pagesets as an era
/// property, free-list accounting and the representation of isolation as their own axes.
///
/// Each has a default (the 2012–2022 behaviour) so `Combine<A, C, M, E>` and every existing
/// variant keep their exact results: the eras of 2012–2022 have no pcp model here (see README,
/// "Per-cpu pagesets"), accounting stays scattered and ISOLATE stays a migratetype value.

/// Shape of the per-cpu pagesets (`struct per_cpu_pages`) of an era.
public enum PCPShape: Sendable, Equatable {
    /// No pcp model: order-0 frees go straight to the buddy (the 2012–2022 eras as modelled).
    case none
    /// v5.14–v6.6 (44042b4498 high-order lists, v5.13; `free_factor` and `zone_highsize`,
    /// v5.14): lists for orders 0..PAGE_ALLOC_COSTLY_ORDER per
    /// PCPTYPES plus two pageblock-order lists (THP); static `high`; `nr_pcp_free` doubles the
    /// batch by `free_factor` while frees run without allocations. Exactly v6.1's code.
    case v6_1
    /// v6.7+ (Ying Huang, "mm: PCP high auto-tuning" series, "mm: tune PCP high automatically"):
    /// `high` moves between `high_min` (low watermark share) and `high_max`
    /// (1/8 of the zone's share); `alloc_factor` scales refills, `free_count` scales frees,
    /// `ZONE_BELOW_HIGH` shrinks `high`. The vmstat worker's time-based `decay_pcp_high` is not
    /// modelled (no clock).
    case v6_7
}

extension KernelEra {
    /// The 2012–2022 eras keep no pcp model (their results are unchanged by `cpus:`).
    public static var pcp: PCPShape { .none }
}

/// Axis — where NR_FREE_PAGES / NR_FREE_CMA_PAGES are updated and whether a page on a pcp list
/// remembers the migratetype its pageblock had when it was freed.
public protocol FreeListAccounting: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// v6.10 (Johannes Weiner, "mm: page_alloc: freelist migratetype hygiene"): the list
    /// primitives account (`account_freepages()` in `__add_to_free_list` /
    /// `__del_page_from_free_list` / `move_to_free_list`); every scattered update is gone, so the
    /// counters follow the lists by construction. False: the callers update the counters.
    static var inListPrimitives: Bool { get }
    /// ≤ v6.9: `free_unref_page_prepare` caches the pageblock's migratetype in the page
    /// (`set_pcppage_migratetype`) and `free_pcppages_bulk` frees with the cached value unless
    /// the zone has isolated pageblocks. v6.10 (hygiene) reads the pageblock at drain time.
    static var pcpCachesMigratetype: Bool { get }
    /// Yu Zhao, "mm/page_alloc: keep track of free highatomic" (2024-10, on top of the v6.10
    /// accounting): `account_freepages` keeps `zone->nr_free_highatomic` and the watermark
    /// subtracts it; before, `__zone_watermark_unusable_free` subtracted
    /// `nr_reserved_highatomic`, reserved pages in use included. Default false.
    static var tracksFreeHighatomic: Bool { get }
    /// v6.10 (fd919a85cd55, "mm: page_isolation: prepare for hygienic freelists", part of the
    /// hygiene series; needs `inListPrimitives`): isolation uses `move_freepages_block_isolate`,
    /// which splits a free buddy above pageblock_order covering the block into pageblocks
    /// (Machine+MoveFreepagesIsolate.swift), and `isolate_single_pageblock` no longer splits
    /// free pages or migrates straddling non-hugetlb compound pages (it fails). Default false.
    static var isolationSplitsLargeBuddies: Bool { get }
}

extension FreeListAccounting {
    public static var tracksFreeHighatomic: Bool { false }
    public static var isolationSplitsLargeBuddies: Bool { false }
}

/// Axis — how a pageblock is marked isolated.
public protocol IsolationRepresentation: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// Zi Yan, 2025, 3370f8ab4502 "mm/page_isolation: make page isolation a standalone bit":
    /// PB_migrate_isolate is a bit beside the migratetype, so un-isolation (and a failed
    /// `start_isolate_page_range`) leaves each block its own type. False: ISOLATE replaces the
    /// migratetype and un-isolation writes the caller's type back.
    static var standaloneBit: Bool { get }
}

/// The ≤ v6.9 default: scattered counter updates, migratetype cached on pcp pages.
public enum FreeListsScattered: FreeListAccounting {
    public static let id = "freelists-scattered"
    public static let summary = "counters updated by the callers; pcp pages cache their migratetype (≤ v6.9)"
    public static let inListPrimitives = false
    public static let pcpCachesMigratetype = true
}

/// The ≤ v6.15 default: MIGRATE_ISOLATE is a migratetype value.
public enum IsolateAsMigratetype: IsolationRepresentation {
    public static let id = "isolate-migratetype"
    public static let summary = "MIGRATE_ISOLATE replaces the pageblock's migratetype (≤ v6.15)"
    public static let standaloneBit = false
}
