import BuddyCore

/// Kernel behaviour of v3.5–v3.8 that is not itself contested: v3.6 fallback table (CMA first
/// for MOVABLE), E2012 watermark loop, `has_unmovable_pages` skipping MOVABLE blocks, no
/// re-free on un-isolate, online as order-0 frees, outer_start search failing at MAX_ORDER;
/// frees and moves to the list head, low/high = min·5/4 and min·3/2, min_free_kbytes ≤ 65536,
/// no `cma_init_reserved_mem`, `dma_declare_contiguous` rounding a misaligned base up.
public enum Era2012: KernelEra {
    public static let id = "era-2012"
    public static let summary = "v3.5–3.8 allocator, watermark and hotplug"
    public static let fallback = FallbackShape.e2012
    public static let watermark = WatermarkShape.e2012
    public static let unmovableCheckSkipsMovableBlocks = true
    public static let unmovableCheckFollowsCompoundHead = false
    public static let isolateRefusesIsolated = false
    public static let unisolateRefree = UnisolateRefree.never
    public static let onlineThroughIsolate = false
    public static let outerStartFallsBack = false
    public static let freeListMovesToTail = false
    public static let watermarkScaleFactor: Int? = nil
    public static let minFreeKbytesCap = 65_536
    public static let unclaimedFallbackRemainderStaysOnFallbackList = false
    public static let hasCMAInitReservedMem = false
    /// No "memory holes" check before v5.5 (c5e79ef561b0): the hole's reserved pages fail isolation (-EBUSY).
    public static let offlineRefusesMemoryHoles = false
    public static let cmaDeclareRejectsMisalignedFixedBase = false
}
