/// Axis — `vm.defrag_mode` (Johannes Weiner, "mm: reliable huge page allocator", v6.15; lore
/// 20250313210647.1314586-1-hannes@cmpxchg.org): whether the allocator keeps ALLOC_NOFRAGMENT
/// until reclaim and compaction have run, and whether kswapd / kcompactd work for whole free
/// pageblocks. Each property is one commit of the series, so a design can take part of it
/// (the series' own patch 3 alone is one such design, measured in its changelog).
///
/// The engine asks these questions at the points the series changed (docs/defrag-mode.md):
/// `alloc_flags_nofragment` and `get_page_from_freelist`'s retry (Machine+NoFragment.swift),
/// `gfp_to_alloc_flags` and the slow path's last-ditch retry (Machine+SlowPath.swift),
/// `wake_all_kswapds` (Machine+SlowPath.swift), `pgdat_balanced` (Reclaim/Machine+Reclaim.swift),
/// `compaction_suit_allocation_order`, `kcompactd_do_work` and `__compact_finished`
/// (Compaction/). With every property false the engine is exactly as before.
public protocol DefragMode: Sendable {
    static var id: String { get }
    static var summary: String { get }
    /// e3aa7df331bc "mm: page_alloc: defrag_mode" with its fix 7a95a05f15d5 ("fix defrag_mode's
    /// retry & OOM path"): `alloc_flags_nofragment` returns ALLOC_NOFRAGMENT for every zone,
    /// `get_page_from_freelist` no longer retries without it, `gfp_to_alloc_flags` adds it to the
    /// slow path, and only after reclaim/compaction gave up (`should_reclaim_retry`,
    /// `should_compact_retry`) does `__alloc_pages_slowpath` clear it once and retry, before OOM.
    static var enforcesNoFragment: Bool { get }
    /// 101f9d666e4d "mm: page_alloc: defrag_mode kswapd/kcompactd assistance": `wake_all_kswapds` wakes kswapd
    /// with `max(order, pageblock_order)`, so kswapd (and the kcompactd it wakes) work for a block.
    static var kswapdWakesAtPageblockOrder: Bool { get }
    /// a211c6550efc "mm: page_alloc: defrag_mode kswapd/kcompactd watermarks" with a1f0220f3319
    /// ("mm: vmscan: fix kswapd exit condition in defrag_mode"): NR_FREE_PAGES_BLOCKS (free pages
    /// in buddies of order ≥ pageblock_order, ISOLATE excluded); `pgdat_balanced` checks it instead
    /// of NR_FREE_PAGES for order > 0; kcompactd's `compaction_suit_allocation_order` checks it;
    /// kcompactd runs with ALLOC_WMARK_HIGH; and `__compact_finished` of a non-direct compaction
    /// succeeds only once the high watermark is met in it.
    static var watermarksInFreeBlocks: Bool { get }
}

/// The default: `vm.defrag_mode = 0` (and every kernel before v6.15).
public enum DefragModeOff: DefragMode {
    public static let id = "defrag-mode-off"
    public static let summary = "vm.defrag_mode = 0: ALLOC_NOFRAGMENT dropped before reclaim; kswapd/kcompactd target the request's order"
    public static let enforcesNoFragment = false
    public static let kswapdWakesAtPageblockOrder = false
    public static let watermarksInFreeBlocks = false
}

extension Machine {
    /// NR_FREE_PAGES_BLOCKS (v6.15, a211c6550efc): pages in free buddies of order ≥
    /// pageblock_order on non-ISOLATE lists. The kernel keeps it in `__add_to_free_list`,
    /// `move_to_free_list` and `__del_page_from_free_list`; the engine reads it off the same lists.
    @inlinable
    public func nrFreePagesBlocks(zone z: Int) -> Int {
        var n = 0
        var o = geometry.pageblockOrder
        while o <= geometry.maxOrder {
            n &+= trueBlocks(zone: z, order: o) &<< o
            o &+= 1
        }
        return n
    }

    /// `__zone_watermark_ok(zone, order, mark, highest_zoneidx, alloc_flags,
    /// zone_page_state(zone, NR_FREE_PAGES_BLOCKS))`: the check defrag_mode's kswapd and kcompactd
    /// make, the usual formula on free pages in whole blocks (the unusable CMA and HIGHATOMIC
    /// terms still subtracted from it, as `__zone_watermark_unusable_free` does).
    public func freeBlocksWatermarkOK(zone z: Int, order: Int, mark: Int, flags: AllocFlags = []) -> Bool {
        var free = nrFreePagesBlocks(zone: z)
        if zone[z].nrReservedHighatomic != 0, !skipsHighatomicTerm(flags) { free &-= highatomicUnusable(zone: z) }
        let base = z &* orders
        let allocCMA = flags.contains(.cma)
        return watermarkFormula(
            order: order, mark: flags.isEmpty ? mark : reducedMin(mark, flags), freePages: free,
            freeCMA: zonePageState(zone[z].nrFreeCMAPages), allocCMA: allocCMA,
            nrFreeAt: { self.nrFree[base &+ $0] },
            listNonEmpty: { self.listCount[self.listIndex(z, $0, $1)] != 0 })
    }
}
