import BuddyCore

/// The v6.1 allocator as modelled: Era2022's fallback, watermark, `has_unmovable_pages`,
/// isolation and hotplug shapes, plus per-cpu pagesets of the v5.14–v6.6 shape (44042b4498
/// "mm/page_alloc: allow high-order pages to be stored on the per-cpu lists", v5.13; Mel
/// Gorman's v5.14 "scale the number of pages that are batch freed" (`free_factor`) and
/// `zone_highsize` from the low watermark): checked against
/// Debian's linux-source-6.1 (6.1.x, mm/page_alloc.c `free_unref_page_commit`, `nr_pcp_free`,
/// `rmqueue_pcplist`, `rmqueue_bulk`, `free_pcppages_bulk`, `zone_batchsize`, `zone_highsize`).
public enum Era61: KernelEra {
    public static let id = "era-6.1"
    public static let summary = "v5.x allocator with v6.1 per-cpu pagesets (static high, free_factor)"
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
    /// `reserve_highatomic_pageblock`: `max_managed = managed / 100 + pageblock_nr_pages`, no
    /// small-zone bail-out (v5.19 and Debian 6.1.192 mm/page_alloc.c; the ALIGN rule is v6.8).
    public static let highatomicReserveAlignedCap = false
    public static let pcp = PCPShape.v6_1
    // v6.x allocator terms (checked in Debian's linux-source-6.1 and -6.12 mm/page_alloc.c):
    // setup_per_zone_lowmem_reserve, alloc_flags_nofragment, unreserve_highatomic_pageblock.
    public static let modelsLowmemReserve = true
    public static let allocNoFragment = true
    public static let unreservesHighatomicBeforeFailing = true
}
