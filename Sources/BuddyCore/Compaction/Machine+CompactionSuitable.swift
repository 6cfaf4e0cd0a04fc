/// The fragmentation indices (mm/vmstat.c) and the decisions made from them before compaction
/// runs: `compaction_suitable`, deferral (`defer_compaction`, `compaction_deferred`,
/// `compaction_defer_reset`, `compaction_restarting`).
extension Machine {
    /// COMPACT_MAX_DEFER_SHIFT.
    public static var compactMaxDeferShift: Int { 6 }
    /// COMPACT_CLUSTER_MAX (= SWAP_CLUSTER_MAX).
    public static var compactClusterMax: Int { 32 }

    /// The compaction model's per-zone state; sized on first use.
    @usableFromInline var compaction: CompactionState {
        _read { yield book.pointee.compaction }
        _modify { yield &book.pointee.compaction }
    }

    /// Size the per-zone and per-pageblock arrays (zeroed as a booted `struct zone` is).
    public func compactionSetUp() {
        if compaction.zones.count != zoneCount {
            compaction.zones = Array(repeating: ZoneCompaction(), count: zoneCount)
            compaction.skip = Array(repeating: false, count: pageblockCount)
            compaction.kcompactdHighestZone = zoneCount - 1
        }
    }

    /// The vmstat compaction counters.
    public var compactionCounters: CompactionCounters { compaction.vm }
    public func zoneCompaction(_ z: Int) -> ZoneCompaction { compactionSetUp(); return compaction.zones[z] }
    /// `get_pageblock_skip()`.
    public func pageblockSkip(_ pfn: Int) -> Bool { compactionSetUp(); return compaction.skip[pageblockIndex(pfn)] }

    // MARK: - /sys/kernel/debug/extfrag

    /// `fill_contig_page_info`: free pages, free blocks, and blocks of at least `order` (in
    /// units of that order), from `free_area[o].nr_free` as the design maintains it.
    func contigPageInfo(zone z: Int, order: Int) -> (freePages: Int, blocks: Int, suitable: Int) {
        var pages = 0, blocks = 0, suitable = 0
        for o in 0...geometry.maxOrder {
            let n = max(0, nrFree[z * orders + o])
            blocks += n
            pages += n << o
            if o >= order { suitable += n << (o - order) }
        }
        return (pages, blocks, suitable)
    }

    /// `fragmentation_index(zone, order)` (×1000, as `/sys/kernel/debug/extfrag/extfrag_index`
    /// prints it divided by 1000): −1000 when a block of the order is free, 0 with nothing
    /// free; towards 0 the failure is lack of memory, towards 1000 fragmentation.
    public func fragmentationIndex(zone z: Int, order: Int) -> Int {
        let info = contigPageInfo(zone: z, order: order)
        if info.blocks == 0 { return 0 }
        if info.suitable > 0 { return -1000 }
        return 1000 - (1000 + info.freePages * 1000 / (1 << order)) / info.blocks
    }

    /// `unusable_free_index(order, info)` (×1000, `/sys/kernel/debug/extfrag/unusable_index`):
    /// 1000 with nothing free. Unlike `unusableFreeIndex` (the `unusable_free_index` metric) it
    /// reads the design's `nr_free` counters, ISOLATE lists included, per zone.
    public func kernelUnusableIndex(zone z: Int, order: Int) -> Int {
        let info = contigPageInfo(zone: z, order: order)
        if info.freePages == 0 { return 1000 }
        return (info.freePages - (info.suitable << order)) * 1000 / info.freePages
    }

    /// `extfrag_for_order` (percent), the proactive-compaction score of a zone.
    public func extfragForOrder(zone z: Int, order: Int) -> Int {
        let info = contigPageInfo(zone: z, order: order)
        if info.freePages == 0 { return 0 }
        return (info.freePages - (info.suitable << order)) * 100 / info.freePages
    }

    // MARK: - compaction_suitable

    /// `compact_gap(order)`: 2 << order free pages to migrate into.
    @inlinable public static func compactGap(_ order: Int) -> Int { 2 << order }

    /// `__compaction_suitable`: order-0 watermark (low for costly orders, else min) plus
    /// `compact_gap`, with ALLOC_CMA, on NR_FREE_PAGES.
    func compactionWatermarkSuitable(zone z: Int, order: Int) -> Bool {
        let mark = (order > Self.costlyOrder ? zone[z].wmarkLow : zone[z].wmarkMin) + Self.compactGap(order)
        return watermarkOK(zone: z, order: 0, mark: mark, allocCMA: true, safe: false)
    }

    /// The checks `compact_zone` makes before scanning (6.1 `compaction_suitable`, 6.12
    /// `compaction_suit_allocation_order`): COMPACT_SUCCESS when the request's watermark already
    /// holds at its order, COMPACT_SKIPPED when the order-0 watermark plus `compact_gap` does not
    /// (not enough free pages to migrate into), COMPACT_NOT_SUITABLE_ZONE when a costly order's
    /// `fragmentation_index` is at most `sysctl_extfrag_threshold` (failure due to lack of memory:
    /// reclaim, not compaction; both eras return it to the caller as COMPACT_SKIPPED, the status
    /// is kept here for the tests and the op's detail), else COMPACT_CONTINUE.
    /// `mark`: the request's watermark (`wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK)`).
    /// `freeBlocks`: v6.15 `compaction_suit_allocation_order(…, kcompactd)` under defrag_mode
    /// (a211c6550efc) — kcompactd's "already done" test reads NR_FREE_PAGES_BLOCKS; the
    /// `compact_gap` and fragmentation-index tests still read NR_FREE_PAGES.
    public func compactionSuitable(zone z: Int, order: Int, mark: Int, flags: AllocFlags = [],
                                   freeBlocks: Bool = false) -> CompactStatus {
        if order < 0 { return .continue }
        if freeBlocks {
            if freeBlocksWatermarkOK(zone: z, order: order, mark: mark, flags: flags) { return .success }
        } else if watermarkOK(zone: z, order: order, mark: mark, allocCMA: flags.contains(.cma), safe: false, flags: flags) {
            return .success
        }
        guard compactionWatermarkSuitable(zone: z, order: order) else { return .skipped }
        if order > Self.costlyOrder {
            let fragindex = fragmentationIndex(zone: z, order: order)
            if fragindex >= 0 && fragindex <= compaction.extfragThreshold { return .notSuitableZone }
        }
        return .continue
    }

    // MARK: - Deferral

    /// `defer_compaction`.
    public func deferCompaction(zone z: Int, order: Int) {
        compactionSetUp()
        compaction.zones[z].considered = 0
        compaction.zones[z].deferShift += 1
        if order < compaction.zones[z].orderFailed { compaction.zones[z].orderFailed = order }
        if compaction.zones[z].deferShift > Self.compactMaxDeferShift { compaction.zones[z].deferShift = Self.compactMaxDeferShift }
    }

    /// `compaction_deferred`: true when this attempt is skipped.
    public func compactionDeferred(zone z: Int, order: Int) -> Bool {
        compactionSetUp()
        let limit = 1 << compaction.zones[z].deferShift
        if order < compaction.zones[z].orderFailed { return false }
        compaction.zones[z].considered += 1
        if compaction.zones[z].considered >= limit {
            compaction.zones[z].considered = limit
            return false
        }
        return true
    }

    /// `compaction_defer_reset`.
    public func compactionDeferReset(zone z: Int, order: Int, allocSuccess: Bool) {
        compactionSetUp()
        if allocSuccess { compaction.zones[z].considered = 0; compaction.zones[z].deferShift = 0 }
        if order >= compaction.zones[z].orderFailed { compaction.zones[z].orderFailed = order + 1 }
    }

    /// `compaction_restarting`: many failures in a row; `compact_zone` then resets the skip bits.
    func compactionRestarting(zone z: Int, order: Int) -> Bool {
        let c = compaction.zones[z]
        if order < c.orderFailed { return false }
        return c.deferShift == Self.compactMaxDeferShift && c.considered >= 1 << c.deferShift
    }
}
