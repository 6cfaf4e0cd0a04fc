/// The contested design decisions, one protocol per axis. Each side of an argument is a type in
/// `variants/` conforming to one of these; a variant bundles one type per axis into a
/// `StrategySet`. The engine (`Machine<S>`) is generic over the set, so every hook below is a
/// static member resolved at specialisation time: no existentials, no indirect calls per event.

/// Axis 1 — alignment of `alloc_contig_range` / CMA (Zi Yan, "Use pageblock_order for cma and
/// alloc_contig_range alignment", v11, 2022, versus the pre-5.19 MAX_ORDER-1 alignment).
public protocol ContigAlignment: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// Order of the unit `alloc_contig_range` isolates and CMA aligns to:
    /// `max(MAX_ORDER-1, pageblock_order)` before 5.19 (`pfn_max_align_down/up`,
    /// `CMA_MIN_ALIGNMENT_PAGES = MAX_ORDER_NR_PAGES`), `pageblock_order` after (11ac3e87ce09).
    static func isolationOrder(_ g: Geometry) -> Int
    /// How isolation treats free and compound pages straddling the range's pageblock boundaries.
    static var boundary: BoundaryHandling { get }
    /// v5.19 as tagged: `isolate_single_pageblock` passes the boundary block's own saved
    /// migratetype to `set_migratetype_isolate` (so a non-CMA caller isolates a CMA boundary
    /// block); 80e2b584f3ab (v6.0) passes the caller's. Default false.
    static var boundaryIsolatesWithSavedMigratetype: Bool { get }
    /// Counters the alignment design lets drift (DeclaredDrift.swift); default none. v11 as posted
    /// flips boundary blocks without moving or counting their pages and lacks `split_free_page`'s
    /// decrement (86d28b070927): its NR_FREE_PAGES drifts by design.
    static var declaredDrift: DriftingCounters { get }
}

/// What `start_isolate_page_range` does at the two boundary pageblocks (§4.5).
public enum BoundaryHandling: Sendable {
    /// Pre-5.19: the range is max-order aligned, nothing straddles; no boundary work.
    case none
    /// v11 as posted: boundary block only flipped to ISOLATE (no unmovable check, no move, no
    /// accounting); any straddling compound page "migrated" (success even if unmovable); `<`
    /// off-by-one; unbounded backward head search.
    case v11Posted
    /// v5.19 final (88ee134320b8, 9b209e557d69, 86d28b070927, 2590d4a5c4dc): real
    /// `set_migratetype_isolate`, `<=`, migrate only movable compound pages, search bounded at
    /// MAX_ORDER, `split_free_page` with its decrement.
    case fixed
}

/// Axis 2 — how free pages in MIGRATE_ISOLATE pageblocks are accounted (designs A–F of
/// kernel-reference §8). The engine asks these questions at the exact points the kernel differs.
public protocol IsolatedFreeAccounting: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// A free into an ISOLATE block adds to NR_FREE_PAGES (A, B, D) or not (C, E, F).
    static var countsFreeIntoIsolate: Bool { get }
    /// Design C: after a free into an ISOLATE block, `nr_free[original order]--` (with its defect).
    static var rollsBackNrFreeOnIsolatedFree: Bool { get }
    /// `set_migratetype_isolate` subtracts the pages `move_freepages_block` moved (B, C, E, F).
    static var isolateSubtractsMoved: Bool { get }
    /// Design C: isolation/un-isolation also moves the moved blocks out of / into `nr_free`.
    static var isolationAdjustsNrFree: Bool { get }
    /// `split_free_page`/`__isolate_free_page` of a page in an ISOLATE block subtracts it (A, B, D).
    static var splitOfIsolatedSubtracts: Bool { get }
    /// `__offline_isolated_pages` subtracts NR_FREE_PAGES (A, B, D, E) — the double decrement in E.
    static var offlineSubtracts: Bool { get }
    /// `__offline_isolated_pages` decrements `nr_free` (all but C).
    static var offlineDecrementsNrFree: Bool { get }
    /// Design D (v3.6, 702d1a6e0766): `zone_watermark_ok_safe` subtracts
    /// `nr_pageblock_isolate × pageblock_nr_pages`.
    static var safeWatermarkSubtractsIsolatedBlocks: Bool { get }
    /// Design C's `nr_free` excludes ISOLATE lists; every other design counts them.
    static var nrFreeCountsIsolateLists: Bool { get }
    /// v3.5–v3.7 `split_free_page` refuses (returns 0) unless `zone_watermark_ok(zone, 0,
    /// low + 2^order, 0, 0)` holds, for ISOLATE blocks too; 2e30abd1730a (v3.8, with the
    /// move-time accounting of design F) skips the check for ISOLATE blocks. Default false.
    static var splitOfIsolatedChecksWatermark: Bool { get }
    /// The counters this design lets drift from the free lists (DeclaredDrift.swift); no default:
    /// every design says, and undeclared drift is an invariant violation.
    static var declaredDrift: DriftingCounters { get }
}

/// Axis 3 — when `__free_one_page` may merge with a buddy at order ≥ pageblock_order.
public protocol MergeRules: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// Called only for `order >= pageblock_order`. `freeing` is the migratetype the free was
    /// issued with, `buddyBlock` the buddy's pageblock migratetype.
    static func mayMerge(order: Int, freeing: MigrateType, buddyBlock: MigrateType,
                         zoneHasIsolatedBlocks: Bool) -> Bool
    /// Counters the merge rule lets drift (DeclaredDrift.swift); default none. A merge across an
    /// ISOLATE|normal boundary counts a block at one side's type and lists it at the other's
    /// (Hanjun Guo's CMA over-count before d9dddbf55667).
    static var declaredDrift: DriftingCounters { get }
}

/// Fallback search shape (§3.2).
public enum FallbackShape: Sendable {
    /// v3.6: top-down, steal with move at ≥ pageblock_order/2, CMA first in MOVABLE's row.
    case e2012
    /// v4.13–v5.x: top-down, `can_steal_fallback`, smallest-first for MOVABLE when it cannot
    /// steal, claim on free+alike ≥ half a pageblock, CMA via `__rmqueue_cma_fallback`.
    case e2022
}

/// `unset_migratetype_isolate`'s "isolate and re-free" of a high-order free head (§4.2).
public enum UnisolateRefree: Sendable {
    /// Before 3.18: always `move_freepages_block`.
    case never
    /// v3.18 (3c605096d315): the head's order ≥ pageblock_order and the pageblock of its buddy
    /// (`page + (buddy_idx - page_idx)`, free or not) is not ISOLATE.
    case buddyBlockNotIsolated
    /// v5.x: additionally order < MAX_ORDER-1 and the buddy is itself a free buddy page
    /// (`find_buddy_page_pfn`) whose block is not ISOLATE.
    case freeBuddyBelowMaxOrder
}

/// Watermark check shape (§3.3).
public enum WatermarkShape: Sendable {
    /// E2012: order loop subtracts `nr_free[k] << k` for k < order (isolated blocks included).
    case e2012
    /// v4.4+: subtract NR_FREE_CMA without ALLOC_CMA; high order needs a block on a PCP/CMA list.
    case v4_4
}

/// Axis 4 — everything else that changed between eras and is not itself contested: fallback
/// table, watermark check, `has_unmovable_pages`, the un-isolate re-free, hotplug shape.
public protocol KernelEra: Sendable {
    static var id: String { get }
    static var summary: String { get }
    static var fallback: FallbackShape { get }
    static var watermark: WatermarkShape { get }
    /// E2012/v4.4: `has_unmovable_pages` returns early for MOVABLE/CMA blocks (removed ~v4.17).
    static var unmovableCheckSkipsMovableBlocks: Bool { get }
    /// 2022: `has_unmovable_pages` follows `compound_head()` from tail pages and treats a CMA block
    /// as unmovable unless the caller isolates for CMA.
    static var unmovableCheckFollowsCompoundHead: Bool { get }
    /// 2018, 2c7452a075d4: `set_migratetype_isolate` refuses a block that is already ISOLATE.
    static var isolateRefusesIsolated: Bool { get }
    /// Whether and when `unset_migratetype_isolate` takes a free head of order ≥ pageblock_order
    /// off its list and re-frees it (so it is counted and can merge) instead of moving it.
    static var unisolateRefree: UnisolateRefree { get }
    /// v5.10+ (b30c59279d68): online frees into ISOLATE blocks and counts at un-isolation;
    /// offline leaves the blocks ISOLATE. False: 2012 shape (online = order-0 frees).
    static var onlineThroughIsolate: Bool { get }
    /// v5.x: `alloc_contig_range`'s outer_start search falls back to `start` (v3.6: -EBUSY).
    static var outerStartFallsBack: Bool { get }
    /// v5.10+: `move_to_free_list` is `list_move_tail` (293ffa5ebb9c), `__free_pages_core` (boot,
    /// online) frees with FPI_TO_TAIL (7fef431be9c9), `__putback_isolated_page` too (47b6a24a2382).
    /// False: heads go to the list head. (Defaults for new eras: `Strategies+Defaults.swift`.)
    static var freeListMovesToTail: Bool { get }
    /// v4.6+ (795ae7a0de6b): `watermark_scale_factor` (default 10): low/high = min + gap / 2·gap
    /// with gap = `max(min/4, managed·factor/10000)`. nil: low = min·5/4, high = min·3/2.
    static var watermarkScaleFactor: Int? { get }
    /// Upper clamp of the computed `min_free_kbytes`: 65536 until v5.7 (59d336bdf693), 262144 after.
    static var minFreeKbytesCap: Int { get }
    /// `__setup_per_zone_wmarks` treats ZONE_MOVABLE as it treats highmem: left out of
    /// `lowmem_pages`, and its WMARK_MIN capped to `clamp(managed / 1024, SWAP_CLUSTER_MAX, 128)`
    /// (the low/high gap still from its uncapped share). In Debian's 6.12.118 mm/page_alloc.c,
    /// not in 6.1.192 (where only `is_highmem()` zones are capped); found by the x86_64 oracle
    /// with `movablecore=` (6.12: Movable's min 89 on the kernel, 267 before).
    static var watermarkMinCapsMovable: Bool { get }
    /// v3.13–v3.19 `try_to_steal_freepages` returns `fallback_type` when it did not claim the
    /// block, and `__rmqueue_fallback` expands the remainder onto that list (until v4.0's
    /// "always steal split buddies", 99592d598eca).
    static var unclaimedFallbackRemainderStaysOnFallbackList: Bool { get }
    /// `cma_init_reserved_mem` exists: added in v3.18-rc1 with the device-tree reserved-memory
    /// support (de9e14eebf33); v3.5–v3.8 have no such function.
    static var hasCMAInitReservedMem: Bool { get }
    /// `cma_declare_contiguous` refuses a fixed base that is not aligned (-EINVAL, v3.17+ mm/cma.c);
    /// v3.5–v3.16 `dma_declare_contiguous` rounded it up.
    static var cmaDeclareRejectsMisalignedFixedBase: Bool { get }
    /// Per-cpu pagesets (Strategies+PerCPU.swift); `.none` by default.
    static var pcp: PCPShape { get }
    /// v6.11+ `free_one_page` splits a block above pageblock_order into pageblocks, each freed
    /// with its own block's type (Strategies+Era612.swift). Default false.
    static var freeSplitsLargeBuddies: Bool { get }
    /// v6.15 `__rmqueue_claim` / `__rmqueue_steal` (in Debian's 6.12.y; Strategies+Era612.swift).
    /// Default false. Needs `FreeListAccounting.inListPrimitives`.
    static var fallbackClaimThenSteal: Bool { get }
    /// v6.x allocator terms (Machine+LowmemReserve.swift, Machine+NoFragment.swift,
    /// Machine+UnreserveHighatomic.swift); all false by default, so the 2012–2022 eras (which
    /// had these too, but were modelled without them) keep their results.
    /// `lowmem_reserve[classzone]` added to the min mark of a lower zone a zonelist walk falls to.
    static var modelsLowmemReserve: Bool { get }
    /// ALLOC_NOFRAGMENT (v5.0, 6bb154504f8b): zone fallback before pageblock stealing.
    static var allocNoFragment: Bool { get }
    /// `unreserve_highatomic_pageblock` before an allocation fails (direct reclaim, v4.4+).
    static var unreservesHighatomicBeforeFailing: Bool { get }
    /// `reserve_highatomic_pageblock`'s cap: v6.8's rule (Charan Teja Kalla's d68e39fc45f7 and
    /// 9cd20f3fe045, posted 2023-11) — nothing when `managed / 100 < pageblock_nr_pages`, else at
    /// most `ALIGN(managed / 100, pageblock_nr_pages)`. False: the v4.4 rule still in v5.19 and in
    /// Debian's 6.1.192 — at most `managed / 100 + pageblock_nr_pages`, no bail-out.
    static var highatomicReserveAlignedCap: Bool { get }
    /// HIGHATOMIC typing of buddies larger than a pageblock, as Debian's 6.12.118 has it (not
    /// 6.1.192): `reserve_highatomic_pageblock(page, order, zone)` retypes the whole block of an
    /// order ≥ pageblock_order request (`change_pageblock_range`, reserve += 2^order), and
    /// `unreserve_highatomic_pageblock` releases such a free block whole (reserve −=
    /// `max(pageblock, 2^order)`), and a pageblock the zone does not wholly span is not
    /// reserved at all (its `move_freepages_block` answers -1: `prep_move_freepages_block`).
    /// False: only the head's pageblock, a pageblock's worth; a straddling block is reserved.
    static var highatomicMultiBlockTyping: Bool { get }
    /// v5.5 (c5e79ef561b0, "mm/memory_hotplug.c: don't allow to online/offline memory blocks
    /// with holes", end of 2019): `offline_pages` counts System RAM pages and refuses a block with holes, -EINVAL
    /// ("memory holes"). False (v3.x): nothing checks holes; `start_isolate_page_range` meets the
    /// hole's PG_reserved pages, `has_unmovable_pages` refuses them and offline fails with -EBUSY.
    static var offlineRefusesMemoryHoles: Bool { get }
    /// mm/compaction.c's shape (Compaction/CompactionState.swift); `.v6_1` by default.
    static var compaction: CompactionShape { get }
}

/// One variant's choices, one type per axis.
public protocol StrategySet: Sendable {
    associatedtype Alignment: ContigAlignment
    associatedtype Accounting: IsolatedFreeAccounting
    associatedtype Merge: MergeRules
    associatedtype Era: KernelEra
    /// Today's axes (Strategies+PerCPU.swift); the defaults are the 2012–2022 behaviour.
    associatedtype FreeLists: FreeListAccounting = FreeListsScattered
    associatedtype Isolation: IsolationRepresentation = IsolateAsMigratetype
    /// Reserve access of gfp masks (AllocationContext.swift); ALLOC_HIGH/ALLOC_HARDER by default.
    associatedtype Reserves: ReserveAccess = ReserveAccessHarder
    /// Reclaim / compaction / OOM / kswapd hooks of the slow path (AllocationProgress.swift):
    /// direct compaction (inert until a run turns the compaction model on) over the reclaim
    /// stand-in (Reclaim/; `NoReclaimProgress` in runs without `reclaim:`).
    associatedtype Progress: AllocationProgress = DirectCompaction<DefaultAllocationProgress>
    /// `vm.defrag_mode` (Strategies+DefragMode.swift); off by default.
    associatedtype Defrag: DefragMode = DefragModeOff
}

/// The generic combination used by the registry: `Combine<MaxOrderAlignment, DesignF, ...>`.
public enum Combine<A: ContigAlignment, C: IsolatedFreeAccounting, M: MergeRules, E: KernelEra>: StrategySet {
    public typealias Alignment = A
    public typealias Accounting = C
    public typealias Merge = M
    public typealias Era = E
}
