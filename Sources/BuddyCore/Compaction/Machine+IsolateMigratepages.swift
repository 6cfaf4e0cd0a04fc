/// The migration scanner (mm/compaction.c): `isolate_migratepages` walks pageblocks upwards from
/// `cc->migrate_pfn`, `isolate_migratepages_block` takes LRU (movable) pages off the LRU.
///
/// Model: an allocated head with `migratable` is an LRU/movable page; anything else allocated
/// (unmovable, `alloc_contig_range`'s pages, a non-compound high-order block) is not on the LRU.
/// Isolated heads stay `allocated` (they keep their handle) and are in neither free counter.
/// `fast_find_migrateblock` picks the starting block (Machine+FastSearch.swift).
/// Not modelled: `too_many_isolated` (no LRU sizes), lock contention and signals.
extension Machine {
    @inlinable func blockStartPfn(_ pfn: Int, _ order: Int) -> Int { pfn & ~((1 << order) - 1) }
    @inlinable func blockEndPfn(_ pfn: Int, _ order: Int) -> Int { (pfn + (1 << order)) & ~((1 << order) - 1) }

    /// `skip_isolation_on_order` (6.12) for a compound folio: 6.1 skips every compound page.
    @inline(__always) func skipsCompound(order o: Int, _ cc: borrowing CompactControl) -> Bool {
        guard S.Era.compaction == .v6_12 else { return true }
        if cc.order >= 0 && o >= cc.order { return true }
        return o >= geometry.pageblockOrder
    }

    /// `suitable_migration_source`.
    @inline(__always) func suitableMigrationSource(_ cc: borrowing CompactControl, _ pfn: Int) -> Bool {
        if pageblockSkipPersistent(pfn) { return false }
        if cc.mode != .async || !cc.directCompaction { return true }
        let bt = blockType(pfn)
        if cc.migratetype == .movable { return bt == .movable || bt == .cma }
        return bt == cc.migratetype
    }

    /// `pageblock_skip_persistent`: the block's first page belongs to a compound page of at
    /// least pageblock order.
    func pageblockSkipPersistent(_ pfn: Int) -> Bool {
        guard let b = allocatedBlockCovering(pfn) else { return false }
        return AllocInfo(raw: info[index(b.head)]).compound && b.order >= geometry.pageblockOrder
    }

    /// `isolate_migratepages`.
    func isolateMigratepages(_ cc: inout CompactControl) -> IsolateMigrate {
        let z = cc.zone
        let pb = geometry.pageblockPages
        var low = fastFindMigrateblock(&cc)
        var blockStart = max(pageblockStart(low), zone[z].startPfn)
        var fastFindBlock = low != cc.migratePfn && cc.fastSearchFail == 0
        var blockEnd = pageblockEnd(low)
        while blockEnd <= cc.freePfn {
            // pageblock_pfn_to_page: a block crossing the zone or without memory is skipped.
            let valid = blockStart >= zone[z].startPfn && blockEnd <= zone[z].endPfn && isOnline(blockStart)
                && zoneOf(blockStart) == z && zoneOf(blockEnd - 1) == z
            if valid {
                let atStart = S.Era.compaction == .v6_12 ? (isPageblockAligned(low) || low == zone[z].startPfn) : isPageblockAligned(low)
                if !(atStart && !fastFindBlock && !isolationSuitable(cc, blockStart)) {
                    if suitableMigrationSource(cc, blockStart) {
                        isolateMigratepagesBlock(&cc, low: low, end: blockEnd)
                        return cc.nrMigratePages > 0 ? .success : .none
                    }
                    updateCachedMigrate(cc, blockEnd)
                }
            }
            fastFindBlock = false
            cc.migratePfn = blockEnd; low = blockEnd; blockStart = blockEnd; blockEnd += pb
        }
        return cc.nrMigratePages > 0 ? .success : .none
    }

    /// `isolate_migratepages_block` for `[low, end)` in one pageblock.
    func isolateMigratepagesBlock(_ cc: inout CompactControl, low start: Int, end: Int) {
        let v612 = S.Era.compaction == .v6_12
        var low = start
        var nrScanned = 0, nrIsolated = 0
        cc.migratePfn = low
        var skipOnFailure = false, nextSkipPfn = 0
        if cc.directCompaction && cc.mode == .async {
            skipOnFailure = true
            nextSkipPfn = blockEndPfn(low, cc.order)
        }
        var validPage = -1
        var skipUpdated = false
        var aborted = false
        scan: while low < end {
            if skipOnFailure && low >= nextSkipPfn {
                if nrIsolated > 0 { break }
                nextSkipPfn = blockEndPfn(low, cc.order)
            }
            nrScanned += 1
            if validPage < 0 && (isPageblockAligned(low) || (v612 && low == zone[cc.zone].startPfn)) {
                if !isolationSuitable(cc, low) { low = end; aborted = true; break }
                validPage = low
            }
            var failed = false
            switch kind(low) {
            case .buddy:
                let o = order(low)
                if o > 0 { low += (1 << o) - 1; if v612 { nrScanned += (1 << o) - 1 } }
                low += 1
                continue scan
            case .allocated:
                let o = order(low)
                let a = AllocInfo(raw: info[index(low)])
                if a.compound && skipsCompound(order: o, cc) {
                    low += (1 << o) - 1
                    if v612 { nrScanned += (1 << o) - 1 }
                    failed = true
                } else if !a.migratable || (!a.compound && o > 0) {
                    failed = true
                } else {
                    if !skipUpdated && (!v612 || validPage >= 0) {
                        skipUpdated = true
                        if testAndSetSkip(cc, v612 ? validPage : low) && (!cc.finishPageblock || !v612) {
                            if v612 { low = end }
                            aborted = true
                            break scan
                        }
                    }
                    cc.migratePages.append(low)
                    cc.nrMigratePages += 1 << o
                    nrIsolated += 1 << o
                    nrScanned += (1 << o) - 1
                    low += (1 << o) - 1
                    if cc.nrMigratePages >= Self.compactClusterMax && !cc.finishPageblock && !cc.contended {
                        low += 1
                        break scan
                    }
                }
            default:
                failed = true
            }
            if failed && skipOnFailure {
                if nrIsolated > 0 {
                    cc.migratePages.removeAll(keepingCapacity: true)   // putback_movable_pages
                    cc.nrMigratePages = 0
                    nrIsolated = 0
                }
                if low < nextSkipPfn {
                    low = nextSkipPfn - 1
                    nextSkipPfn += 1 << cc.order
                }
            }
            low += 1
        }
        if !aborted && low > end { low = end }
        if low == end && (nrIsolated == 0 || cc.finishPageblock) {
            if validPage >= 0 && !skipUpdated { setSkip(validPage) }
            updateCachedMigrate(cc, low)
        }
        cc.totalMigrateScanned += nrScanned
        compaction.vm.compactIsolated += nrIsolated
        cc.migratePfn = low
    }
}
