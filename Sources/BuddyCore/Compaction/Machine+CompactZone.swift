/// `compact_zone` and its finish test, the migration of the isolated pages, and capture
/// (mm/compaction.c, mm/page_alloc.c `compaction_capture`), per `S.Era.compaction`.
extension Machine {
    /// `__compact_finished` (with `compact_finished`'s COMPACT_NO_SUITABLE_PAGE → CONTINUE).
    func compactFinished(_ cc: borrowing CompactControl) -> CompactStatus {
        let z = cc.zone
        // compact_scanners_met
        if cc.freePfn >> geometry.pageblockOrder <= cc.migratePfn >> geometry.pageblockOrder {
            resetCachedPositions(zone: z)
            if cc.directCompaction { compaction.zones[z].blockskipFlush = true }
            return cc.wholeZone ? .complete : .partialSkipped
        }
        if cc.proactive {
            // kswapd_is_running: the aging model's kswapd does not run concurrently here.
            return extfragForOrder(zone: z, order: geometry.pageblockOrder) > fragmentationScoreWmark(low: true) ? .continue : .success
        }
        if cc.order < 0 { return .continue }
        if !isPageblockAligned(cc.migratePfn) { return .continue }
        // v6.15 defrag_mode (a211c6550efc): kcompactd runs until the high watermark is met in
        // whole free pageblocks; no fallback test, a block can be claimed without polluting.
        if S.Defrag.watermarksInFreeBlocks && !cc.directCompaction {
            return freeBlocksWatermarkOK(zone: z, order: cc.order, mark: zone[z].wmarkHigh, flags: cc.allocFlags)
                ? .success : .continue
        }
        for o in cc.order...geometry.maxOrder {
            if listCount[listIndex(z, o, cc.migratetype)] != 0 { return .success }
            if cc.migratetype == .movable && listCount[listIndex(z, o, .cma)] != 0 { return .success }
            // find_suitable_fallback(area, order, migratetype, only_stealable = true, …)
            if let (_, canSteal) = findSuitableFallback(zone: z, order: o, cc.migratetype), canSteal { return .success }
        }
        return .continue
    }

    /// `compaction_capture` from `__free_one_page`: a free reaching the running direct
    /// compaction's order in its zone is taken for the request instead of being listed. The
    /// caller (`freeOnePage`) stops; the merged buddies are already off their lists.
    @usableFromInline
    func compactionCapture(pfn: Int, order o: Int, _ mt: MigrateType, zone z: Int) -> Bool {
        guard compaction.capturedPfn < 0, compaction.captureZone == z, mt != .cma, mt != .isolate else { return false }
        if o < geometry.pageblockOrder && mt == .movable {
            // 6.1: never a MOVABLE piece below pageblock_order; 6.12: unless the request is movable.
            if S.Era.compaction == .v6_1 || compaction.captureMigratetype != .movable { return false }
        }
        compaction.capturedPfn = pfn
        _ = markAllocated(pfn: pfn, order: o, AllocInfo(type: .movable, migratable: false, compound: false, handled: false))
        // __mod_zone_freepage_state(zone, -(1 << order), mt): the free counted itself in first.
        if !S.FreeLists.inListPrimitives {
            zone[z].nrFreePages &-= 1 << o
        }
        return true
    }

    /// Move an isolated source head to its target: the handle follows the data, the source is
    /// freed as the kernel frees a migrated folio (`folio_put` → the pcp where there is one).
    func compactMove(_ cc: inout CompactControl, _ src: Int, to dst: Int, order o: Int) {
        let i = index(src), d = index(dst)
        let attrs = AllocInfo(raw: info[i])
        state[d] = packState(.allocated, o)
        info[d] = attrs.raw
        next[d] = next[i]
        if attrs.handled, handlePfn.contains(Int(next[i])) { handlePfn[Int(next[i])] = UInt32(truncatingIfNeeded: dst) }
        next[i] = frameNil
        freeUnrefPage(pfn: src, order: o)
        lruAdd(&cc, dst, order: o)   // migrate_folio_move: folio_add_lru(dst)
        compaction.vm.pgmigrateSuccess += 1 << o
        stats.pagesMigrated += 1 << o
    }

    /// `migrate_pages(&cc->migratepages, compaction_alloc, …)`: the list is walked from its head
    /// (the page isolated last). 6.1 moves page by page (`unmap_and_move`); 6.12 takes every
    /// target of the batch first, then moves (`migrate_pages_batch`). Returns false on -ENOMEM
    /// (no target): that page fails, the rest are put back.
    func migrateIsolated(_ cc: inout CompactControl) -> Bool {
        var ok = true
        if S.Era.compaction == .v6_1 {
            while let src = cc.migratePages.popLast() {
                let dst = compactionAlloc(&cc, order: order(src))
                if dst < 0 { compaction.vm.pgmigrateFail += 1 << order(src); ok = false; break }
                compactMove(&cc, src, to: dst, order: order(src))
            }
        } else {
            var pairs: [(Int, Int)] = []
            while let src = cc.migratePages.popLast() {
                let dst = compactionAlloc(&cc, order: order(src))
                if dst < 0 { compaction.vm.pgmigrateFail += 1 << order(src); ok = false; break }
                pairs.append((src, dst))
            }
            for (src, dst) in pairs { compactMove(&cc, src, to: dst, order: order(src)) }
        }
        cc.migratePages.removeAll(keepingCapacity: true)   // putback_movable_pages
        cc.nrMigratePages = 0
        return ok
    }

    /// `compact_zone(cc, capc)`. The suitability checks run first for a request's order.
    func compactZone(_ cc: inout CompactControl, capture: Bool) -> CompactStatus {
        compactionSetUp()
        compaction.vm.zoneRuns += 1
        let z = cc.zone
        let start = zone[z].startPfn, end = zone[z].endPfn
        let sync = cc.mode != .async
        if cc.order >= 0 {
            let r = compactionSuitable(zone: z, order: cc.order, mark: cc.mark, flags: cc.allocFlags,
                                       freeBlocks: S.Defrag.watermarksInFreeBlocks && !cc.directCompaction)
            if r != .continue { return r == .notSuitableZone ? .notSuitableZone : r }
        }
        if compactionRestarting(zone: z, order: cc.order) { resetIsolationSuitable(zone: z) }
        cc.fastStartPfn = 0
        if cc.wholeZone {
            cc.migratePfn = start
            cc.freePfn = pageblockStart(end - 1)
        } else {
            cc.migratePfn = sync ? compaction.zones[z].cachedMigratePfn.sync : compaction.zones[z].cachedMigratePfn.async
            cc.freePfn = compaction.zones[z].cachedFreePfn
            if cc.freePfn < start || cc.freePfn >= end {
                cc.freePfn = pageblockStart(end - 1)
                compaction.zones[z].cachedFreePfn = cc.freePfn
            }
            if cc.migratePfn < start || cc.migratePfn >= end {
                cc.migratePfn = start
                compaction.zones[z].cachedMigratePfn = (start, start)
            }
            if cc.migratePfn <= compaction.zones[z].initMigratePfn { cc.wholeZone = true }
        }
        var lastMigratedPfn = 0
        var updateCached = !sync && compaction.zones[z].cachedMigratePfn.async == compaction.zones[z].cachedMigratePfn.sync
        if capture {
            compaction.captureZone = z
            compaction.captureMigratetype = cc.migratetype
            compaction.capturedPfn = -1
            book.pointee.captureOrder = cc.order
        }
        defer { book.pointee.captureOrder = .max; compaction.captureZone = -1 }
        var ret = CompactStatus.continue
        loop: while true {
            ret = compactFinished(cc)
            if ret != .continue { break }
            let iterationStart = cc.migratePfn
            cc.finishPageblock = pageblockStart(lastMigratedPfn) == pageblockStart(iterationStart)
            var rescan = true
            while rescan {
                rescan = false
                switch isolateMigratepages(&cc) {
                case .abort:
                    ret = .contended
                    cc.migratePages.removeAll(); cc.nrMigratePages = 0
                    break loop
                case .none:
                    if updateCached { compaction.zones[z].cachedMigratePfn.sync = compaction.zones[z].cachedMigratePfn.async }
                case .success:
                    updateCached = false
                    lastMigratedPfn = S.Era.compaction == .v6_12
                        ? max(start, pageblockStart(cc.migratePfn - 1)) : iterationStart
                    if !migrateIsolated(&cc) {
                        // -ENOMEM: no target pages left.
                        if cc.freePfn >> geometry.pageblockOrder > cc.migratePfn >> geometry.pageblockOrder {
                            ret = .contended
                            break loop
                        }
                        if S.Era.compaction == .v6_1 {
                            if cc.directCompaction && cc.mode == .async {
                                cc.migratePfn = blockEndPfn(cc.migratePfn - 1, max(cc.order, 0))
                                lastMigratedPfn = 0
                            }
                        } else if !isPageblockAligned(cc.migratePfn) && !cc.ignoreSkipHint && !cc.finishPageblock && cc.mode != .sync {
                            cc.finishPageblock = true
                            if cc.order == geometry.pageblockOrder { lastMigratedPfn = 0 }
                            rescan = true
                            continue
                        }
                    }
                    if capture && compaction.capturedPfn >= 0 { ret = .success; break loop }
                }
            }
            // check_drain: the migrate scanner left the cc->order-aligned block it migrated
            // from: `lru_add_drain_cpu_zone(zone)`, whose `drain_local_pages(zone)` returns the
            // freed sources parked on this CPU's pcp lists to the buddy so they merge (both
            // eras, mm/swap.c). Found by the oracle: 6.12.118 --pcp seed 1, `compact 10
            // unmovable sync_light` at command 527 — the kernel's pcp count 8, the model's 230.
            if cc.order > 0 && lastMigratedPfn != 0 && lastMigratedPfn < blockStartPfn(cc.migratePfn, cc.order) {
                lruAddDrain(&cc)   // lru_add_drain_cpu()
                drainLocalPages(zone: z)
                lastMigratedPfn = 0
            }
        }
        // Nothing reads LRU membership before the batch is moved (Machine+LRUAddBatch.swift).
        lruAddDrain(&cc)
        if cc.nrFreePages > 0 || cc.freePages.contains(where: { !$0.isEmpty }) {
            let high = pageblockStart(releaseFreepages(&cc))
            if high > compaction.zones[z].cachedFreePfn { compaction.zones[z].cachedFreePfn = high }
        }
        compaction.vm.compactMigrateScanned += cc.totalMigrateScanned
        compaction.vm.compactFreeScanned += cc.totalFreeScanned
        return ret
    }
}
