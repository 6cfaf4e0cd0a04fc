import BuddyCore

/// v6.7–v6.10 as modelled (6.12: `Era612`): Era61 with Ying Huang's auto-tuned pcp `high` (v6.7 series "mm:
/// PCP high auto-tuning": "mm: tune PCP high automatically", "mm, pcp: reduce lock contention
/// for draining high-order pages", "mm, page_alloc: scale the number of pages that are batch
/// allocated"; `high_min`/`high_max`, `alloc_factor`, `free_count`, ZONE_BELOW_HIGH),
/// checked against Debian's linux-source-6.12. Not modelled: the vmstat worker's
/// `decay_pcp_high` (time-based), ZONE_RECLAIM_ACTIVE (no reclaim).
public enum Era67: KernelEra {
    public static let id = "era-6.7"
    public static let summary = "v6.7+ per-cpu pagesets with auto-tuned high"
    public static let fallback = FallbackShape.e2022
    public static let watermark = WatermarkShape.v4_4
    public static let unmovableCheckSkipsMovableBlocks = false
    public static let unmovableCheckFollowsCompoundHead = true
    public static let isolateRefusesIsolated = true
    public static let unisolateRefree = UnisolateRefree.freeBuddyBelowMaxOrder
    public static let onlineThroughIsolate = true
    public static let outerStartFallsBack = true
    // v5.10+ terms the `faithful` branch adds to `KernelEra` (unused until that merge): list-tail
    // placement, watermark_scale_factor 10, min_free_kbytes cap 262144 (v5.7+), CMA declaration.
    public static let freeListMovesToTail = true
    public static let watermarkScaleFactor: Int? = 10
    public static let minFreeKbytesCap = 262_144
    public static let unclaimedFallbackRemainderStaysOnFallbackList = false
    public static let hasCMAInitReservedMem = true
    public static let cmaDeclareRejectsMisalignedFixedBase = true
    public static let pcp = PCPShape.v6_7
    // v6.x allocator terms (checked in Debian's linux-source-6.1 and -6.12 mm/page_alloc.c):
    // setup_per_zone_lowmem_reserve, alloc_flags_nofragment, unreserve_highatomic_pageblock.
    public static let modelsLowmemReserve = true
    public static let allocNoFragment = true
    public static let unreservesHighatomicBeforeFailing = true
    /// v6.8+ `reserve_highatomic_pageblock` limit (ALIGN(managed / 100, pageblock)).
    public static let highatomicReserveAligned = true
}
