/// kcompactd and proactive compaction (mm/compaction.c, v4.6 / v5.9) as callable entry points:
/// the engine has no clock, so whoever models kswapd (the aging model's stand-in) calls
/// `wakeupKcompactd` where `kswapd` would (`balance_pgdat` → `wakeup_kcompactd` when it
/// balanced for a high order), and `kcompactdRun` where the woken thread would run.
extension Machine {
    /// `fragmentation_score_wmark(low)`: low = max(100 − proactiveness, 5), high = low + 10 (≤ 100).
    public func fragmentationScoreWmark(low: Bool) -> Int {
        let wl = max(100 - compaction.proactiveness, 5)
        return low ? wl : min(wl + 10, 100)
    }

    /// `fragmentation_score_node`: Σ zone present_pages × `extfrag_for_order(zone,
    /// COMPACTION_HPAGE_ORDER)` / (node present pages + 1). COMPACTION_HPAGE_ORDER is taken as
    /// pageblock_order (HPAGE_PMD_ORDER on the 4 KiB-page geometries modelled).
    public func fragmentationScore() -> Int {
        let nodePresent = (0..<zoneCount).reduce(0) { $0 + zone[$1].presentPages }
        var score = 0
        for z in 0..<zoneCount where zone[z].presentPages > 0 {
            score += zone[z].presentPages * extfragForOrder(zone: z, order: geometry.pageblockOrder) / (nodePresent + 1)
        }
        return score
    }

    /// `should_proactive_compact_node` (kswapd taken as not running).
    public func shouldProactiveCompact() -> Bool {
        compactionSetUp()
        return compaction.proactiveness > 0 && fragmentationScore() > fragmentationScoreWmark(low: false)
    }

    /// `vm.compaction_proactiveness` (0–100; 0 turns proactive compaction off).
    public func setCompactionProactiveness(_ v: Int) { compactionSetUp(); compaction.proactiveness = min(max(v, 0), 100) }

    /// `wakeup_kcompactd(pgdat, order, highest_zoneidx)`: order 0 never wakes it; the pending
    /// order grows to the largest asked and the pending zone shrinks to the lowest; the thread is woken (counted as
    /// `compact_daemon_wake` by `kcompactd` itself) only if some zone up to `highest` is
    /// `kcompactd_node_suitable`. Returns whether it would be woken.
    @discardableResult
    public func wakeupKcompactd(order: Int, highestZone: Int) -> Bool {
        compactionSetUp()
        guard order > 0 else { return false }
        if compaction.kcompactdMaxOrder < order { compaction.kcompactdMaxOrder = order }
        if compaction.kcompactdHighestZone > highestZone { compaction.kcompactdHighestZone = highestZone }
        return kcompactdNodeSuitable()
    }

    /// `kcompactd_node_suitable`: some populated zone up to the pending highest zone where
    /// `compaction_suit_allocation_order(zone, order, highest, ALLOC_WMARK_MIN)` says CONTINUE.
    func kcompactdNodeSuitable() -> Bool {
        let top = min(compaction.kcompactdHighestZone, zoneCount - 1)
        guard top >= 0 else { return false }
        for z in 0...top where zone[z].managedPages > 0 {
            if compactionSuitable(zone: z, order: compaction.kcompactdMaxOrder, mark: zone[z].wmarkMin,
                                  freeBlocks: S.Defrag.watermarksInFreeBlocks) == .continue { return true }
        }
        return false
    }

    /// The woken kcompactd: `compact_daemon_wake`, then `kcompactd_do_work` — every zone up to
    /// the pending highest that is not deferred and is suitable gets an MIGRATE_SYNC_LIGHT
    /// GFP_KERNEL compaction for the pending order (no capture); success resets the deferral, a
    /// completed or partially skipped run drains the pcp lists and defers. The pending order is
    /// then cleared and the pending zone reset to the node's last.
    /// Returns pages migrated.
    @discardableResult
    public func kcompactdRun() -> Int {
        compactionSetUp()
        let order = compaction.kcompactdMaxOrder
        let top = min(compaction.kcompactdHighestZone, zoneCount - 1)
        guard order > 0, top >= 0 else { return 0 }
        compaction.vm.compactDaemonWake += 1
        let before = compaction.vm.pgmigrateSuccess
        for z in 0...top where zone[z].managedPages > 0 {
            if compactionDeferred(zone: z, order: order) { continue }
            // v6.15 (a211c6550efc): `.alloc_flags = ALLOC_WMARK_HIGH`, checked in whole free
            // pageblocks under defrag_mode; before, ALLOC_WMARK_MIN on NR_FREE_PAGES.
            let blocks = S.Defrag.watermarksInFreeBlocks
            let mark = blocks ? zone[z].wmarkHigh : zone[z].wmarkMin
            if compactionSuitable(zone: z, order: order, mark: mark, freeBlocks: blocks) != .continue { continue }
            var cc = CompactControl(order: order, zone: z, mode: .syncLight, migratetype: .unmovable, orders: orders)
            cc.mark = mark
            cc.searchOrder = order
            let status = compactZone(&cc, capture: false)
            if status == .success {
                compactionDeferReset(zone: z, order: order, allocSuccess: false)
            } else if status == .partialSkipped || status == .complete {
                drainAllPages(zone: z)
                deferCompaction(zone: z, order: order)
            }
        }
        compaction.kcompactdMaxOrder = 0
        compaction.kcompactdHighestZone = zoneCount - 1
        return compaction.vm.pgmigrateSuccess - before
    }

    /// The proactive pass kcompactd makes on its timeout (`proactive_compact_node`): when the
    /// node's score is above the high mark, compact each zone (SYNC_LIGHT, whole zone) until its
    /// score drops to the low mark. Returns pages migrated.
    @discardableResult
    public func proactiveCompact() -> Int {
        guard shouldProactiveCompact() else { return 0 }
        let before = compaction.vm.pgmigrateSuccess
        for z in 0..<zoneCount where zone[z].presentPages > 0 { compactMemory(zone: z, proactive: true) }
        return compaction.vm.pgmigrateSuccess - before
    }
}
