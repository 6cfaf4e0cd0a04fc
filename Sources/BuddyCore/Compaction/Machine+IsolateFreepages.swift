/// The free scanner and the migration target allocator (mm/compaction.c): `isolate_freepages`
/// walks pageblocks downwards from `cc->free_pfn`, `isolate_freepages_block` takes free buddies
/// (`__isolate_free_page`), `compaction_alloc` hands them to migration, `release_freepages` /
/// `release_free_list` gives back what was not used.
///
/// Isolated free pages are marked allocated (no handle, not movable) while compaction holds
/// them: off the free lists and out of NR_FREE_PAGES, as in the kernel.
/// `fast_isolate_freepages` runs first (Machine+FastSearch.swift).
extension Machine {
    /// `suitable_migration_target`.
    @inline(__always) func suitableMigrationTarget(_ cc: borrowing CompactControl, _ pfn: Int) -> Bool {
        if kind(pfn) == .buddy {
            let limit = S.Era.compaction == .v6_12 && cc.order > 0 ? cc.order : geometry.pageblockOrder
            if order(pfn) >= limit { return false }
        }
        if cc.ignoreBlockSuitable { return true }
        let bt = blockType(pfn)
        return bt == .movable || bt == .cma
    }

    /// `__isolate_free_page(page, order)` as compaction calls it: refused below
    /// `min + 2^order` (order-0 check with ALLOC_CMA); large pieces retype their pageblocks
    /// MOVABLE (6.1 `set_pageblock_migratetype`, 6.12 `move_freepages_block`).
    func compactIsolateFreePage(_ pfn: Int, order o: Int) -> Int {
        let z = zoneOf(pfn)
        let mt = blockType(pfn)
        if mt != .isolate {
            guard watermarkOK(zone: z, order: 0, mark: zone[z].wmarkMin + (1 << o), allocCMA: true, safe: false) else { return 0 }
        }
        isolateFreePage(pfn, order: o)
        _ = markAllocated(pfn: pfn, order: o, AllocInfo(type: .movable, migratable: false, compound: false, handled: false))
        if o >= geometry.pageblockOrder - 1 {
            var p = pfn
            while p < pfn + (1 << o) - 1 {
                let bt = blockType(p)
                if bt.isMergeable {
                    if S.Era.compaction == .v6_12 {
                        // move_freepages_block(zone, page, mt, MIGRATE_MOVABLE): list_move_tail
                        // of every free page of the block, to the same list when it is MOVABLE,
                        // and __move_freepages_block's set_pageblock_migratetype(MOVABLE) — not
                        // for a block the zone does not span whole (prep_move_freepages_block).
                        // Found by the oracle: 6.12.118 --random 100000 --seed 1, `compact 10
                        // movable sync_full` at command 50,870 isolated an order-8 page of
                        // UNMOVABLE block 0x19200; the kernel's block became MOVABLE.
                        if bt == .movable {
                            requeueFreepagesBlock(p)
                        } else if zoneSpansBlock(z, p) {
                            moveFreepagesBlock(p, to: .movable)
                            setBlockType(p, .movable)
                        }
                    } else if bt != .movable {
                        setBlockType(p, .movable)
                    }
                }
                p += geometry.pageblockPages
            }
        }
        return 1 << o
    }

    /// `prep_move_freepages_block()`'s test (6.12): the zone spans the whole pageblock of `pfn`.
    func zoneSpansBlock(_ z: Int, _ pfn: Int) -> Bool {
        let start = pageblockStart(pfn)
        return start >= zone[z].startPfn && start + geometry.pageblockPages <= zone[z].endPfn
    }

    /// 6.12 `__move_freepages_block(zone, start, MOVABLE, MOVABLE)`: each free page of the block
    /// goes to the tail of its (MOVABLE) list; nothing when the block crosses the zone
    /// (`prep_move_freepages_block`).
    func requeueFreepagesBlock(_ pfn: Int) {
        let z = zoneOf(pfn)
        let start = pageblockStart(pfn), end = start + geometry.pageblockPages
        guard zoneSpansBlock(z, pfn) else { return }
        var p = start
        while p < end {
            if kind(p) == .buddy {
                let o = order(p), mt = listType(p)
                delFromFreeList(p, zone: z)
                addToFreeList(p, order: o, mt, zone: z, tail: true)
                p += 1 << o
            } else { p += 1 }
        }
    }

    /// `isolate_freepages_block` (not strict) over `[start, end)`; returns pages isolated and
    /// updates `start` to where it stopped.
    func isolateFreepagesBlock(_ cc: inout CompactControl, start: inout Int, end: Int, stride: Int,
                               isolated list: inout [(pfn: Int, order: Int)]) -> Int {
        var nrScanned = 0, total = 0
        var p = start
        while p < end {
            nrScanned += 1
            var step = stride
            if kind(p) == .allocated && AllocInfo(raw: info[index(p)]).compound {
                let o = order(p)
                if p + (1 << o) <= end { p += (1 << o) - 1; nrScanned += (1 << o) - 1 }
            } else if kind(p) == .buddy {
                let o = order(p)
                let n = compactIsolateFreePage(p, order: o)
                if n == 0 { break }
                list.append((p, o))
                nrScanned += n - 1
                total += n
                cc.nrFreePages += n
                if cc.nrMigratePages <= cc.nrFreePages { p += n; step = 0; break }
                p += n - 1
            }
            p += step
        }
        if p > end { p = end }
        start = p
        cc.totalFreeScanned += nrScanned
        compaction.vm.compactIsolated += total
        return total
    }

    /// `isolate_freepages`: fill `cc->freepages` from the top of the zone.
    func isolateFreepages(_ cc: inout CompactControl) {
        var isolated: [(pfn: Int, order: Int)] = []
        fastIsolateFreepages(&cc, isolated: &isolated)
        if cc.nrFreePages > 0 {
            takeIsolated(&cc, isolated)
            return
        }
        let z = cc.zone
        let pb = geometry.pageblockPages
        var isolateStart = cc.freePfn
        var blockStart = pageblockStart(isolateStart)
        var blockEnd = min(blockStart + pb, zone[z].endPfn)
        let lowPfn = pageblockEnd(cc.migratePfn)
        var stride = cc.mode == .async ? Self.compactClusterMax : 1
        while blockStart >= lowPfn {
            let valid = blockStart >= zone[z].startPfn && isOnline(blockStart) && zoneOf(blockStart) == z
                && zoneOf(blockEnd - 1) == z
            if valid && suitableMigrationTarget(cc, blockStart) && isolationSuitable(cc, blockStart) {
                let n = isolateFreepagesBlock(&cc, start: &isolateStart, end: blockEnd, stride: stride, isolated: &isolated)
                if isolateStart == blockEnd {
                    updatePageblockSkip(cc, block: blockStart, cachedPfn: S.Era.compaction == .v6_12 ? blockStart - pb : blockStart)
                }
                if cc.nrFreePages >= cc.nrMigratePages {
                    if isolateStart >= blockEnd { isolateStart = blockStart - pb }
                    break
                } else if isolateStart < blockEnd {
                    break
                }
                stride = n > 0 ? 1 : min(Self.compactClusterMax, stride << 1)
            }
            blockEnd = blockStart; blockStart -= pb; isolateStart = blockStart
        }
        cc.freePfn = isolateStart
        takeIsolated(&cc, isolated)
    }

    /// The isolated free pages onto `cc->freepages`: per order at the tail (6.12), or split to
    /// order 0 by `split_map_pages` (6.1).
    func takeIsolated(_ cc: inout CompactControl, _ isolated: [(pfn: Int, order: Int)]) {
        if S.Era.compaction == .v6_12 {
            for (p, o) in isolated { cc.freePages[o].insert(p, at: 0) }   // list_add_tail: head is the last element
        } else {
            // split_map_pages: every page split to order 0, each pushed at the head of a new list.
            for (p, o) in isolated {
                for q in p..<(p + (1 << o)) {
                    if q != p { _ = markAllocated(pfn: q, order: 0, AllocInfo(type: .movable, migratable: false, compound: false, handled: false)) }
                    else { state[index(q)] = packState(.allocated, 0) }
                    cc.freePages[0].append(q)
                }
            }
        }
    }

    /// `compaction_alloc`: a target page of `o` pages' order, or -1 (migration gets -ENOMEM).
    func compactionAlloc(_ cc: inout CompactControl, order o: Int) -> Int {
        if S.Era.compaction == .v6_1 {
            if cc.freePages[0].isEmpty {
                isolateFreepages(&cc)
                if cc.freePages[0].isEmpty { return -1 }
            }
            cc.nrFreePages -= 1
            return cc.freePages[0].removeLast()
        }
        var isolatedOnce = false
        while true {
            var start = o
            while start < orders && cc.freePages[start].isEmpty { start += 1 }
            if start == orders {
                if isolatedOnce { return -1 }
                isolateFreepages(&cc)
                isolatedOnce = true
                continue
            }
            let page = cc.freePages[start].removeLast()
            var size = 1 << start
            while start > o {
                start -= 1; size >>= 1
                cc.freePages[start].append(page + size)   // list_add: the new head
                _ = markAllocated(pfn: page + size, order: start, AllocInfo(type: .movable, migratable: false, compound: false, handled: false))
            }
            state[index(page)] = packState(.allocated, o)
            cc.nrFreePages -= 1 << o
            cc.nrMigratePages -= 1 << o   // 6.12 compaction_alloc_noprof counts the batch down
            return page
        }
    }

    /// `release_freepages` (6.1: `__free_page` of each order-0 page, head first) /
    /// `release_free_list` (6.12: `__free_pages` per order, head first); the highest pfn.
    func releaseFreepages(_ cc: inout CompactControl) -> Int {
        var high = 0
        for o in 0..<orders {
            while let p = cc.freePages[o].popLast() {
                freeUnrefPage(pfn: p, order: o)
                high = max(high, p)
            }
        }
        cc.nrFreePages = 0
        return high
    }
}
