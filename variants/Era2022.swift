import BuddyCore

/// Kernel behaviour of v5.18/v5.19 that is not itself contested: v4.13+ fallback and stealing,
/// v4.4+ watermark check, `has_unmovable_pages` without the MOVABLE shortcut and following
/// `compound_head()`, `set_migratetype_isolate` refusing isolated blocks (2c7452a075d4), the
/// un-isolate re-free, online through ISOLATE blocks (b30c59279d68), outer_start falling back;
/// v5.10+ list-tail placement (`move_to_free_list`, FPI_TO_TAIL for boot, online and
/// `__putback_isolated_page`), v4.6+ `watermark_scale_factor` 10, min_free_kbytes ≤ 262144.
public enum Era2022: KernelEra {
    public static let id = "era-2022"
    public static let summary = "v5.18/5.19 allocator, watermark and hotplug"
    public static let fallback = FallbackShape.e2022
    public static let watermark = WatermarkShape.v4_4
    public static let unmovableCheckSkipsMovableBlocks = false
    public static let unmovableCheckFollowsCompoundHead = true
    public static let isolateRefusesIsolated = true
    public static let unisolateRefree = UnisolateRefree.freeBuddyBelowMaxOrder
    public static let onlineThroughIsolate = true
    public static let outerStartFallsBack = true
    public static let freeListMovesToTail = true
    public static let watermarkScaleFactor: Int? = 10
    public static let minFreeKbytesCap = 262_144
    public static let unclaimedFallbackRemainderStaysOnFallbackList = false
    public static let hasCMAInitReservedMem = true
    public static let cmaDeclareRejectsMisalignedFixedBase = true
    /// `reserve_highatomic_pageblock`: `max_managed = managed / 100 + pageblock_nr_pages`, no
    /// small-zone bail-out (v5.19 and Debian 6.1.192 mm/page_alloc.c; the ALIGN rule is v6.8).
    public static let highatomicReserveAlignedCap = false
}
