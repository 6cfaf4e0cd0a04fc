/// The stable metric names of the contract, with the direction that is "better" and the group a
/// report shows them in. Adding a metric: one line here, computed in BuddyExperiment's collector.
public enum Polarity: String, Sendable, Codable {
    case higherIsBetter, lowerIsBetter
    /// Closer to zero is better (drifts: a negative and a positive drift are both wrong).
    case zeroIsBetter
    /// Informational: no direction (e.g. `events`).
    case neutral
}

public struct MetricInfo: Sendable, Equatable {
    public let name: String
    public let group: String
    public let polarity: Polarity
    public let summary: String
    public init(_ name: String, _ group: String, _ polarity: Polarity, _ summary: String) {
        self.name = name; self.group = group; self.polarity = polarity; self.summary = summary
    }
}

public enum MetricCatalog {
    public static let all: [MetricInfo] = [
        MetricInfo("events", "workload", .neutral, "workload events executed"),
        MetricInfo("allocs", "workload", .neutral, "successful page allocations"),
        MetricInfo("alloc_failures", "workload", .lowerIsBetter, "allocations that found no free block"),
        MetricInfo("frees", "workload", .neutral, "blocks freed"),
        MetricInfo("contig_attempts", "contiguous", .neutral, "alloc_contig_range calls"),
        MetricInfo("contig_successes", "contiguous", .higherIsBetter, "alloc_contig_range calls that returned 0"),
        // contig_ebusy has no direction of its own: a design can turn an -EBUSY into a fault
        // (zi-yan-v11), so fewer EBUSYs are not better. contig_failures (every attempt that did
        // not succeed) carries the direction; contig_faults is the part that faulted.
        MetricInfo("contig_ebusy", "contiguous", .neutral, "alloc_contig_range calls that returned -EBUSY (read with contig_faults)"),
        MetricInfo("contig_faults", "contiguous", .lowerIsBetter, "alloc_contig_range calls that ended in a fault (not counted in contig_ebusy)"),
        MetricInfo("contig_failures", "contiguous", .lowerIsBetter, "alloc_contig_range calls that did not succeed: -EBUSY, faults and other errors"),
        MetricInfo("pages_migrated", "contiguous", .neutral, "movable pages migrated"),
        MetricInfo("cma_allocs", "cma", .higherIsBetter, "successful cma_alloc calls"),
        MetricInfo("cma_failures", "cma", .lowerIsBetter, "failed cma_alloc calls"),
        MetricInfo("offline_ok", "hotplug", .higherIsBetter, "memory blocks offlined"),
        MetricInfo("offline_failed", "hotplug", .lowerIsBetter, "offline attempts that failed"),
        MetricInfo("online_ok", "hotplug", .higherIsBetter, "memory blocks onlined"),
        MetricInfo("nr_free_pages", "accounting", .neutral, "NR_FREE_PAGES at the end"),
        MetricInfo("free_pages_allocatable", "accounting", .neutral, "truth: pages on non-isolate free lists of online memory"),
        MetricInfo("nr_free_pages_drift", "accounting", .zeroIsBetter, "NR_FREE_PAGES − truth at the end"),
        MetricInfo("nr_free_pages_min", "accounting", .higherIsBetter, "lowest NR_FREE_PAGES seen"),
        MetricInfo("nr_free_blocks_drift", "accounting", .zeroIsBetter, "Σ nr_free[o]·2^o − pages the design says nr_free counts"),
        MetricInfo("nr_free_order_mismatch", "accounting", .zeroIsBetter, "Σ_o |nr_free[o] − true blocks of order o| (per-order corruption)"),
        MetricInfo("watermark_misjudgements", "accounting", .lowerIsBetter, "watermark checks where the counter said ok and the truth said not"),
        MetricInfo("isolated_free_pages", "accounting", .neutral, "pages on MIGRATE_ISOLATE free lists at the end"),
        MetricInfo("misplaced_free_pages", "accounting", .zeroIsBetter, "free pages on a buddy list whose type differs from their pageblock's, at the end"),
        MetricInfo("isolation_retyped_pageblocks", "fragmentation", .zeroIsBetter, "un-isolations that left a pageblock with a type other than the one it had before isolation"),
        MetricInfo("pcp_pages", "accounting", .neutral, "pages on per-cpu lists at the end (in neither counter)"),
        // The two causes misplaced_free_pages mixes, counted as they happen (a page can be
        // misplaced by one and put right by a later claim, so they need not add up to it).
        MetricInfo("pcp_stale_migratetype_pages", "accounting", .zeroIsBetter, "pages a pcp drain freed onto their stale cached migratetype's list (≤ v6.9)"),
        MetricInfo("fallback_unclaimed_pages", "accounting", .neutral, "pages a v5.x fallback moved to the requester's list without claiming their pageblock"),
        MetricInfo("mixed_pageblocks", "fragmentation", .lowerIsBetter, "pageblocks holding allocations of a type other than their own"),
        MetricInfo("unusable_free_index", "fragmentation", .lowerIsBetter, "unusable free space index at pageblock_order, ×1000"),
        MetricInfo("largest_free_order", "fragmentation", .higherIsBetter, "largest order with a free block"),
        MetricInfo("faults", "safety", .lowerIsBetter, "kernel-crash/hang conditions detected"),
        MetricInfo("invariant_violations", "safety", .lowerIsBetter, "structural corruption of the simulator (must be 0)"),
        // trace: workloads only (BuddyExperiment's TraceTally; all but the last are facts about the input)
        MetricInfo("trace_allocs", "trace", .neutral, "mm_page_alloc records replayed as requests"),
        MetricInfo("trace_frees", "trace", .neutral, "mm_page_free records matched to a traced allocation"),
        MetricInfo("trace_untracked_frees", "trace", .neutral, "frees of pages allocated before the trace began that nothing could serve (no from_proc state, pfn mode, or a repeated free): skipped"),
        MetricInfo("trace_kernel_alloc_failures", "trace", .neutral, "mm_page_alloc records where the kernel returned no page"),
        MetricInfo("trace_free_order_mismatches", "trace", .neutral, "frees whose order differs from the traced allocation's"),
        MetricInfo("trace_missing_frees", "trace", .neutral, "allocations of a pfn the trace still held (a lost free)"),
        MetricInfo("trace_observations", "trace", .neutral, "zone_locked, pcpu_drain, extfrag and duplicate batched-free records (not replayed)"),
        MetricInfo("trace_lost_event_markers", "trace", .neutral, "ring-buffer overrun markers in the trace"),
        MetricInfo("trace_precapture_frees", "trace", .neutral, "frees of pages allocated before the capture, served from the imported from_proc state (requests mode)"),
        MetricInfo("trace_capture_extfrag", "trace", .neutral, "mm_page_alloc_extfrag records in the capture: the kernel's own fallbacks (compare extfrag_events, the replay's)"),
        MetricInfo("trace_capture_extfrag_claims", "trace", .neutral, "capture extfrag records with change_ownership=1 (compare extfrag_claims)"),
        MetricInfo("trace_pfn_divergences", "trace", .lowerIsBetter, "mode pfn: kernel allocations this variant could not have returned"),
        // Only in runs whose workload has gfp masks (issue 21, Machine+SlowPath.swift).
        MetricInfo("kswapd_wakeups", "gfp", .neutral, "slow-path entries of requests with __GFP_KSWAPD_RECLAIM (wake_all_kswapds)"),
        MetricInfo("alloc_failures_nonblocking", "gfp", .lowerIsBetter, "failed requests whose mask lacks __GFP_DIRECT_RECLAIM"),
        // Aged workloads (issue 23): runs with age: phases, reclaim:, series: or a trace.
        MetricInfo("highorder_attempts", "aging", .neutral, "allocation requests of order > PAGE_ALLOC_COSTLY_ORDER (3)"),
        MetricInfo("highorder_successes", "aging", .higherIsBetter, "requests of order > 3 that got a page"),
        MetricInfo("highorder_success_permille", "aging", .higherIsBetter, "high-order success rate, ×1000"),
        MetricInfo("extfrag_events", "aging", .lowerIsBetter, "mm_page_alloc_extfrag events: allocations served by falling back to another migratetype"),
        MetricInfo("extfrag_claims", "aging", .neutral, "extfrag events whose pageblock took the requester's type (change_ownership=1)"),
        MetricInfo("extfrag_steals", "aging", .lowerIsBetter, "extfrag events that left the pageblock's type (change_ownership=0): mixed blocks in the making"),
        MetricInfo("unusable_free_index_o3", "aging", .lowerIsBetter, "unusable free space index at order 3 at the end, ×1000"),
        MetricInfo("page_cache_requests", "aging", .neutral, "page cache allocation requests of age: phases"),
        MetricInfo("page_cache_failures", "aging", .lowerIsBetter, "page cache requests that failed"),
        MetricInfo("anon_requests", "aging", .neutral, "anon requests (THP faults with thp: always)"),
        MetricInfo("anon_failures", "aging", .lowerIsBetter, "anon requests that failed (with thp: always: THP fault fallbacks, thp_fault_fallback)"),
        MetricInfo("slab_reclaimable_requests", "aging", .neutral, "slabs of reclaimable caches requested"),
        MetricInfo("slab_reclaimable_failures", "aging", .lowerIsBetter, "reclaimable slabs that could not be allocated"),
        MetricInfo("slab_unmovable_requests", "aging", .neutral, "slabs of unmovable caches requested"),
        MetricInfo("slab_unmovable_failures", "aging", .lowerIsBetter, "unmovable slabs that could not be allocated"),
        MetricInfo("kernel_requests", "aging", .neutral, "long-lived kernel allocations requested"),
        MetricInfo("kernel_failures", "aging", .lowerIsBetter, "long-lived kernel allocations that failed"),
        MetricInfo("highorder_requests", "aging", .neutral, "the benchmark's own high-order requests (class highorder)"),
        MetricInfo("highorder_failures", "aging", .lowerIsBetter, "the benchmark's high-order requests that failed"),
        // The reclaim stand-in (docs/reclaim.md), /proc/vmstat names; runs with reclaim: only.
        MetricInfo("pgscan_kswapd", "reclaim", .neutral, "pages kswapd scanned (= pgsteal_kswapd in the stand-in)"),
        MetricInfo("pgsteal_kswapd", "reclaim", .neutral, "pages kswapd reclaimed"),
        MetricInfo("pgscan_direct", "reclaim", .neutral, "pages direct reclaim scanned (= pgsteal_direct in the stand-in)"),
        MetricInfo("pgsteal_direct", "reclaim", .lowerIsBetter, "pages reclaimed by allocating tasks (direct reclaim)"),
        MetricInfo("pgsteal_file", "reclaim", .neutral, "page cache pages reclaimed"),
        MetricInfo("pgsteal_anon", "reclaim", .neutral, "anon pages reclaimed (swapped out)"),
        MetricInfo("pswpout", "reclaim", .neutral, "pages written to swap"),
        MetricInfo("allocstall_normal", "reclaim", .lowerIsBetter, "direct reclaim entries of requests whose gfp_zone is ZONE_NORMAL"),
        MetricInfo("allocstall_movable", "reclaim", .lowerIsBetter, "direct reclaim entries of requests whose gfp_zone is ZONE_MOVABLE"),
        MetricInfo("pageoutrun", "reclaim", .neutral, "kswapd balance runs (balance_pgdat)"),
        MetricInfo("pgscan_direct_per_highorder_success", "reclaim", .lowerIsBetter, "latency proxy: pages direct reclaim scanned per successful request of order > 3 (integer division)"),
        MetricInfo("kswapd_kcompactd_wakeups", "reclaim", .neutral, "kswapd going to sleep after an order > 0 run and calling wakeup_kcompactd"),
        MetricInfo("nr_free_pages_blocks", "reclaim", .higherIsBetter, "free pages in buddies of order ≥ pageblock_order at the end, ISOLATE excluded (v6.15 vmstat nr_free_pages_blocks)"),
        MetricInfo("compact_scanned_per_1000_highorder_successes", "compaction", .lowerIsBetter, "compact_migrate_scanned + compact_free_scanned (direct, kcompactd, proactive) per 1000 successful requests of order > 3 (integer division)"),
        MetricInfo("pgmigrate_success_per_1000_highorder_successes", "compaction", .lowerIsBetter, "pgmigrate_success per 1000 successful requests of order > 3 (integer division)"),
        // Only in runs with the compaction model on (a compact op or reclaim:; BuddyCore/Compaction/): /proc/vmstat's names.
        MetricInfo("compact_stall", "compaction", .neutral, "direct compaction attempts that ran or were deferred (__alloc_pages_direct_compact, compact ops)"),
        MetricInfo("compact_success", "compaction", .higherIsBetter, "direct compactions after which the request got a page"),
        MetricInfo("compact_fail", "compaction", .lowerIsBetter, "direct compactions after which the request got no page"),
        MetricInfo("compact_migrate_scanned", "compaction", .lowerIsBetter, "pages the migrate scanner looked at"),
        MetricInfo("compact_free_scanned", "compaction", .lowerIsBetter, "pages the free scanner looked at"),
        MetricInfo("compact_isolated", "compaction", .neutral, "pages isolated by either scanner"),
        MetricInfo("compact_daemon_wake", "compaction", .neutral, "kcompactd runs (kcompactd_do_work)"),
        MetricInfo("pgmigrate_success", "compaction", .neutral, "pages compaction migrated"),
        MetricInfo("pgmigrate_fail", "compaction", .lowerIsBetter, "pages compaction could not migrate (no target page)"),
        MetricInfo("fragmentation_score", "compaction", .lowerIsBetter, "proactive compaction's node score (fragmentation_score_node, 0-100)"),
    ] + (0...extfragMaxOrder).flatMap { o in [
        MetricInfo("extfrag_index_\(o)", "extfrag", .neutral,
                   "fragmentation_index of the largest zone at order \(o), ×1000 (/sys/kernel/debug/extfrag/extfrag_index; −1000: a block is free; 0…500 lack of memory, towards 1000 fragmentation)"),
        MetricInfo("unusable_index_\(o)", "extfrag", .lowerIsBetter,
                   "unusable_free_index of the largest zone at order \(o), ×1000 (/sys/kernel/debug/extfrag/unusable_index: nr_free of every list, ISOLATE included)"),
    ] }

    /// Orders the extfrag metrics are named for (the largest `max_order` a machine may have).
    public static let extfragMaxOrder = 15

    public static func info(_ name: String) -> MetricInfo? { all.first { $0.name == name } }
    public static var names: [String] { all.map(\.name) }
}
