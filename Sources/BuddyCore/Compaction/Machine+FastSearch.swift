/// The free-list searches compaction makes before its linear scans (v5.1, Mel Gorman's
/// "Increase compaction success rates" series): `fast_isolate_freepages` takes free pages of the
/// MOVABLE lists near the free scanner's end of the zone, `fast_find_migrateblock` starts the
/// migrate scanner at a pageblock with free pages low in the zone. Both rotate the lists they
/// searched (`move_freelist_head` / `move_freelist_tail`) so the next search sees other pages.
extension Machine {
    /// `freelist_scan_limit`: (COMPACT_CLUSTER_MAX >> fast_search_fail) + 1.
    @inline(__always) func freelistScanLimit(_ cc: borrowing CompactControl) -> Int {
        (Self.compactClusterMax >> min(63, cc.fastSearchFail)) + 1
    }

    /// `move_freelist_head`: the entries before `i` go to the tail, `i` becomes the head.
    func moveFreelistHead(list l: Int, _ i: Int) {
        let h = listHead[l]
        guard h != frameNil, Int(h) != i else { return }
        let before = prev[i], t = listTail[l]
        next[Int(t)] = h; prev[Int(h)] = t
        prev[i] = frameNil; next[Int(before)] = frameNil
        listHead[l] = UInt32(truncatingIfNeeded: i); listTail[l] = before
    }

    /// `move_freelist_tail`: the entries up to and including `i` go to the tail.
    func moveFreelistTail(list l: Int, _ i: Int) {
        let t = listTail[l]
        guard t != frameNil, Int(t) != i else { return }
        let after = next[i], h = listHead[l]
        next[Int(t)] = h; prev[Int(h)] = t
        next[i] = frameNil; prev[Int(after)] = frameNil
        listHead[l] = after; listTail[l] = UInt32(truncatingIfNeeded: i)
    }

    /// `next_search_order`.
    func nextSearchOrder(_ cc: inout CompactControl, _ order: Int) -> Int {
        var o = order - 1
        if o < 0 { o = cc.order - 1 }
        if o == cc.searchOrder {
            cc.searchOrder -= 1
            if cc.searchOrder < 0 { cc.searchOrder = cc.order - 1 }
            return -1
        }
        return o
    }

    /// `fast_isolate_around`: the rest of the found page's pageblock, stride 1.
    func fastIsolateAround(_ cc: inout CompactControl, _ pfn: Int, isolated: inout [(pfn: Int, order: Int)]) {
        if cc.nrFreePages >= cc.nrMigratePages { return }
        if cc.directCompaction && cc.mode == .async { return }
        let z = cc.zone
        var start = max(pageblockStart(pfn), zone[z].startPfn)
        let end = min(pageblockEnd(pfn), zone[z].endPfn)
        guard isOnline(start), zoneOf(start) == z, zoneOf(end - 1) == z else { return }
        _ = isolateFreepagesBlock(&cc, start: &start, end: end, stride: 1, isolated: &isolated)
        let skip = S.Era.compaction == .v6_12 ? start == end : cc.nrFreePages < cc.nrMigratePages
        if skip { setSkip(pfn) }
    }

    /// `fast_isolate_freepages`.
    func fastIsolateFreepages(_ cc: inout CompactControl, isolated: inout [(pfn: Int, order: Int)]) {
        guard cc.order > 0 else { return }
        let z = cc.zone
        let pb = geometry.pageblockPages
        var limit = max(1, freelistScanLimit(cc) >> 1)
        var nrScanned = 0
        var highest = 0
        var page = -1
        var scanStart = false
        if cc.freePfn >= compaction.zones[z].initFreePfn {
            limit = pb >> 1
            scanStart = true
        }
        // `distance`, `low_pfn` and `min_pfn` are unsigned long: once the free scanner has gone
        // below the migrate scanner (isolate_freepages leaves free_pfn under the migrate block
        // when the scanners meet, and compaction_alloc still asks for the next target) the
        // distance wraps and both marks land above every pfn — nothing is found. Signed, they
        // would find the free pages of the sources' own pageblock (6.12.118 `--random 100000
        // --seed 2`, `compact 10 movable sync_full` at command 8,581: the model took 0x891b and
        // 0x891c as five more targets, the kernel ran out at 20).
        let crossed = cc.freePfn < cc.migratePfn
        let distance = cc.freePfn - cc.migratePfn
        var lowPfn = crossed ? Int.max : pageblockStart(cc.freePfn - (distance >> 2))
        let minPfn = crossed ? Int.max : pageblockStart(cc.freePfn - (distance >> 1))
        if minPfn > lowPfn { lowPfn = minPfn }
        cc.searchOrder = min(cc.order - 1, cc.searchOrder)
        var order = cc.searchOrder
        // for (order = search_order; !page && order >= 0; order = next_search_order(cc, order))
        while page < 0 && order >= 0 {
            var stop = false
            body: do {
                if nrFree[z * orders + order] == 0 { break body }
                let l = listIndex(z, order, .movable)
                var orderScanned = 0
                var highPfn = 0
                var cursor = listTail[l]
                var last = -1   // the entry the walk stopped at (-1: it ran off the list)
                while cursor != frameNil {
                    let i = Int(cursor)
                    let pfn = pfnOf(i)
                    orderScanned += 1; nrScanned += 1
                    if pfn >= highest { highest = max(pageblockStart(pfn), zone[z].startPfn) }
                    if pfn >= lowPfn {
                        cc.fastSearchFail = 0
                        cc.searchOrder = order
                        page = pfn; last = i
                        break
                    }
                    if pfn >= minPfn && pfn > highPfn { highPfn = pfn; limit >>= 1 }
                    if orderScanned >= limit { last = i; break }
                    cursor = prev[i]
                }
                if page < 0 && highPfn != 0 { page = highPfn; last = index(highPfn) }
                if last >= 0 { moveFreelistHead(list: l, last) }
                if page >= 0 {
                    let n = compactIsolateFreePage(page, order: order)
                    if n > 0 {
                        isolated.append((page, order))
                        nrScanned += n - 1
                        cc.nrFreePages += n
                        compaction.vm.compactIsolated += n
                    } else {
                        order = cc.searchOrder + 1
                        page = -1
                    }
                }
                if S.Era.compaction == .v6_12 && cc.nrFreePages >= cc.nrMigratePages { stop = true; break body }
                if orderScanned >= limit { limit = max(1, limit >> 1) }
            }
            if stop { break }
            if page >= 0 { break }   // the loop condition, after next_search_order (which cannot change search_order here)
            order = nextSearchOrder(&cc, order)
        }
        var around = page
        if page < 0 {
            cc.fastSearchFail += 1
            if scanStart {
                if highest >= minPfn {
                    around = highest
                    cc.freePfn = highest
                } else if cc.directCompaction && pfnValid(minPfn) {
                    let valid = isOnline(minPfn) && zoneOf(minPfn) == z && zoneOf(min(pageblockEnd(minPfn), zone[z].endPfn) - 1) == z
                    around = valid ? minPfn : -1
                    if around >= 0 && S.Era.compaction == .v6_12 && !suitableMigrationTarget(cc, minPfn) { around = -1 }
                    cc.freePfn = minPfn
                }
            }
        }
        if highest != 0 && highest >= compaction.zones[z].cachedFreePfn {
            compaction.zones[z].cachedFreePfn = highest - pb
        }
        cc.totalFreeScanned += nrScanned
        if around >= 0 { fastIsolateAround(&cc, around, isolated: &isolated) }
    }

    /// `update_fast_start_pfn`.
    func updateFastStartPfn(_ cc: inout CompactControl, _ pfn: Int) {
        if cc.fastStartPfn == -1 { return }
        cc.fastStartPfn = cc.fastStartPfn == 0 ? pfn : min(cc.fastStartPfn, pfn)
    }

    /// `fast_find_migrateblock`: where the migrate scanner starts this round.
    func fastFindMigrateblock(_ cc: inout CompactControl) -> Int {
        var pfn = cc.migratePfn
        let z = cc.zone
        if cc.ignoreSkipHint { return pfn }
        if S.Era.compaction == .v6_12 && cc.finishPageblock { return pfn }
        if pfn != zone[z].startPfn && pfn != pageblockStart(pfn) { return pfn }
        if cc.order <= Self.costlyOrder { return pfn }
        if cc.directCompaction && cc.migratetype != .movable { return pfn }
        let limit = freelistScanLimit(cc)
        var nrScanned = 0
        var distance = (cc.freePfn - cc.migratePfn) >> 1
        if cc.migratePfn != zone[z].startPfn { distance >>= 2 }
        let highPfn = pageblockStart(cc.migratePfn + distance)
        var found = false
        var order = cc.order - 1
        while order >= Self.costlyOrder && !found && nrScanned < limit {
            defer { order -= 1 }
            if nrFree[z * orders + order] == 0 { continue }
            let l = listIndex(z, order, .movable)
            var cursor = listHead[l]
            while cursor != frameNil {
                let i = Int(cursor)
                let next = self.next[i]
                if nrScanned >= limit { nrScanned += 1; moveFreelistTail(list: l, i); break }
                nrScanned += 1
                let freePfn = pfnOf(i)
                if freePfn < highPfn {
                    if compaction.skip[pageblockIndex(freePfn)] { cursor = next; continue }
                    if S.Era.compaction == .v6_1 { setSkip(freePfn) }
                    moveFreelistTail(list: l, i)
                    updateFastStartPfn(&cc, freePfn)
                    pfn = max(pageblockStart(freePfn), zone[z].startPfn)
                    cc.fastSearchFail = 0
                    found = true
                    break
                }
                cursor = next
            }
        }
        cc.totalMigrateScanned += nrScanned
        if !found {
            cc.fastSearchFail += 1
            // reinit_migrate_pfn
            if cc.fastStartPfn != 0 && cc.fastStartPfn != -1 {
                cc.migratePfn = cc.fastStartPfn
                cc.fastStartPfn = -1
            }
            pfn = cc.migratePfn
        }
        return pfn
    }
}
