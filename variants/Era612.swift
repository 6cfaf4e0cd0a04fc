import BuddyCore

/// Linux 6.12 as Debian ships it (linux-source-6.12, 6.12.117), checked against the real kernel
/// in lockstep (`buddylab oracle --kernel 6.12 --variant linux-6.12`): `Era67`'s pcp with
/// v6.11's `free_one_page` → `split_large_buddy` and the v6.15 `__rmqueue_claim` /
/// `__rmqueue_steal` split that the 6.12.y stable series carries (Strategies+Era612.swift).
public enum Era612: KernelEra {
    public static let id = "era-6.12"
    public static let summary = "v6.12.y: v6.7 pcp, frees split into pageblocks, claim-then-steal fallback (v6.15)"
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
    /// Debian 6.12.118 `__setup_per_zone_wmarks`: ZONE_MOVABLE capped like highmem.
    public static let watermarkMinCapsMovable = true
    public static let unclaimedFallbackRemainderStaysOnFallbackList = false
    public static let hasCMAInitReservedMem = true
    public static let cmaDeclareRejectsMisalignedFixedBase = true
    public static let pcp = PCPShape.v6_7
    public static let freeSplitsLargeBuddies = true
    /// mm/compaction.c as in Debian's 6.12.118 (Compaction/CompactionState.swift).
    public static let compaction = CompactionShape.v6_12
    public static let fallbackClaimThenSteal = true
    // v6.x allocator terms, as in Era61/Era67 (Debian's linux-source-6.12 mm/page_alloc.c:
    // setup_per_zone_lowmem_reserve, alloc_flags_nofragment, unreserve_highatomic_pageblock).
    public static let modelsLowmemReserve = true
    public static let allocNoFragment = true
    public static let unreservesHighatomicBeforeFailing = true
    /// v6.8's `reserve_highatomic_pageblock` cap (d68e39fc45f7, 9cd20f3fe045): ALIGN, small-zone bail-out.
    public static let highatomicReserveAlignedCap = true
    /// Debian's 6.12.118 `reserve_highatomic_pageblock(page, order, zone)` /
    /// `unreserve_highatomic_pageblock`: blocks above pageblock_order typed whole (found by the
    /// oracle, `--edges` seed 3, command 552).
    public static let highatomicMultiBlockTyping = true
}
