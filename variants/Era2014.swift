import BuddyCore

/// Kernel behaviour of v3.18 (2014) that is not itself contested: the 2012 fallback table (CMA
/// still in MOVABLE's row; `__rmqueue_cma_fallback` came in v4.1) and the E2012 watermark loop
/// (the v4.4 rework had not happened), plus Joonsoo Kim's 3c605096d315 "isolate and re-free"
/// in `unset_migratetype_isolate` for a free head of order ≥ pageblock_order whose buddy's
/// pageblock is not ISOLATE — no MAX_ORDER-1 bound and no check that the buddy is free, both
/// of which later kernels added. Hotplug keeps the 2012 shape (online through ISOLATE is v5.10).
/// v3.13–v3.19 `try_to_steal_freepages` returned `fallback_type` for an unclaimed block, so the
/// split remainder went back on the fallback list; mm/cma.c (v3.17) refuses a misaligned fixed
/// base; watermarks and list placement as in 2012.
public enum Era2014: KernelEra {
    public static let id = "era-2014"
    public static let summary = "v3.18 allocator: 2012 fallback and watermark, un-isolate re-free of high-order heads"
    public static let fallback = FallbackShape.e2012
    public static let watermark = WatermarkShape.e2012
    public static let unmovableCheckSkipsMovableBlocks = true
    public static let unmovableCheckFollowsCompoundHead = false
    public static let isolateRefusesIsolated = false
    public static let unisolateRefree = UnisolateRefree.buddyBlockNotIsolated
    public static let onlineThroughIsolate = false
    public static let outerStartFallsBack = false
    public static let freeListMovesToTail = false
    public static let watermarkScaleFactor: Int? = nil
    public static let minFreeKbytesCap = 65_536
    public static let unclaimedFallbackRemainderStaysOnFallbackList = true
    /// de9e14eebf33 ("drivers: dma-contiguous: add initialization from device tree", Marek
    /// Szyprowski) added `cma_init_reserved_mem` to mm/cma.c in the v3.18 merge window
    /// (v3.18-rc1), with the MAX_ORDER-1 / pageblock alignment check every later 2014–2022 era has.
    public static let hasCMAInitReservedMem = true
    /// No "memory holes" check before v5.5 (c5e79ef561b0): the hole's reserved pages fail isolation (-EBUSY).
    public static let offlineRefusesMemoryHoles = false
    public static let cmaDeclareRejectsMisalignedFixedBase = true
}
