/// Migration of movable allocated blocks (`migrate_pages` with `alloc_migration_target`).
extension Machine {
    /// Zones a request may use, highest first (the zonelist order of `GFP_HIGHUSER_MOVABLE` /
    /// `GFP_KERNEL`): movable requests may use every zone, others every zone but ZONE_MOVABLE.
    @inlinable
    public func allocateInZonelist(order: Int, _ type: AllocType, flags: AllocFlags = []) -> Int {
        if S.Era.modelsLowmemReserve || S.Era.allocNoFragment {
            return allocateInZonelistV6(order: order, type, noFragment: true, flags: flags)   // Machine+NoFragment.swift
        }
        var z = zoneCount &- 1
        while z >= 0 {
            if type == .movable || !zone[z].isMovableZone {
                let pfn = allocateBlock(zone: z, order: order, type, flags: flags)
                if pfn >= 0 { return pfn }
            }
            z &-= 1
        }
        return -1
    }

    /// Migrate the allocated movable block headed at `pfn`: allocate a destination through the
    /// normal allocator (so never inside an isolated pageblock: ISOLATE lists are no fallback),
    /// move the handle, free the source with its pageblock's current type.
    /// - Returns: false when the page is not migratable or no destination could be had.
    @discardableResult
    public func migrateBlock(_ pfn: Int) -> Bool {
        guard kind(pfn) == .allocated else { return false }
        let i = index(pfn)
        let attrs = AllocInfo(raw: info[i])
        guard attrs.migratable else { stats.migrationFailures += 1; return false }
        let o = order(pfn)
        // alloc_migration_target(): the target's mask is the caller's mtc.gfp_mask — GFP_USER |
        // __GFP_MOVABLE for alloc_contig_range and memory offline — whatever the source page was
        // allocated as (found by the oracle: a guest page allocated unmovable, later on the LRU,
        // took an UNMOVABLE target on the simulator only).
        let dest = allocateInZonelist(order: o, .movable)
        guard dest >= 0 else { stats.migrationFailures += 1; return false }
        let d = index(dest)
        state[d] = packState(.allocated, o)
        info[d] = attrs.raw
        next[d] = next[i]
        if attrs.handled, handlePfn.contains(Int(next[i])) { handlePfn[Int(next[i])] = UInt32(truncatingIfNeeded: dest) }
        freePages(pfn: pfn, order: o)
        stats.pagesMigrated += 1 << o
        return true
    }

    /// `__alloc_contig_migrate_range()`: rounds of `isolate_migratepages_range()`, each scanning up
    /// from where the last stopped and taking migratable pages until it holds
    /// `COMPACT_CLUSTER_MAX` (32) pages; each page goes to the head of `cc->migratepages`
    /// (`list_add` in `isolate_migratepages_block`), so `migrate_pages()` moves a round's pages
    /// highest pfn first and their targets are allocated in that order (measured on Debian
    /// 6.1.192: 64 anon pages in [0x1400, 0x1600) went to descending target pfns).
    /// Unmovable pages are left for `test_pages_isolated` to catch. A round also ends at a
    /// pageblock boundary when `too_many_isolated()` says so (Machine+TooManyIsolated.swift).
    /// - Returns: false when a movable page could not be migrated (no destination).
    public func migrateContigRange(_ start: Int, _ end: Int) -> Bool {
        let clusterMax = 32   // COMPACT_CLUSTER_MAX (SWAP_CLUSTER_MAX)
        var round: [Int] = []
        round.reserveCapacity(clusterMax)
        var lru = -1   // LRU pages outside the round, counted when first needed
        var p = start
        while p < end {
            round.removeAll(keepingCapacity: true)
            var taken = 0
            let roundStart = p
            while p < end, taken < clusterMax {
                // isolate_migratepages_range: the next pageblock's isolate_migratepages_block
                // returns -EAGAIN while the round's pages are too many for the LRU.
                if taken > 0 && p != roundStart && isPageblockAligned(p) {
                    if lru < 0 { lru = lruPageCount() }   // the round's pages included: still allocated here
                    if tooManyIsolated(isolated: taken, lru: lru - taken) { break }
                }
                switch kind(p) {
                case .buddy: p += 1 << order(p)
                case .allocated:
                    let o = order(p)
                    if AllocInfo(raw: info[index(p)]).migratable { round.append(p); taken += 1 << o }
                    p += 1 << o
                default: p += 1
                }
            }
            if S.Era.compaction == .v6_1 { contigScanSetsSkip(from: roundStart, to: min(p, end), rangeEnd: end, isolated: round) }
            // reclaim_clean_pages_from_list(): the round's clean page-cache pages are freed,
            // lowest pfn first (measured on 6.1.192: ascending frees before the round's
            // migrations), then the rest migrated, highest first.
            for q in round where AllocInfo(raw: info[index(q)]).fileLRU { reclaimCleanPage(q); if lru >= 0 { lru -= 1 << order(q) } }
            for q in round.reversed() where kind(q) == .allocated && !migrateBlock(q) { return false }
        }
        return true
    }

    /// 6.1's `isolate_migratepages_block` marks a pageblock PB_migrate_skip when it scanned the
    /// block's chunk from the block's first pfn (`valid_page`) to the chunk's end and isolated
    /// nothing — without looking at `cc->no_set_skip_hint`, so `alloc_contig_range` (which sets
    /// it) leaves skip bits behind (measured on 6.1.192: `contig 0x3ca4 1024` set the block at
    /// 0x3e00). 6.12.118 checks `!cc->no_set_skip_hint` first. The chunks of one round are
    /// `[max(block start, roundStart), min(block end, rangeEnd))` up to where the round stopped.
    func contigScanSetsSkip(from roundStart: Int, to scanned: Int, rangeEnd: Int, isolated: [Int]) {
        compactionSetUp()
        let pb = geometry.pageblockPages
        var bs = pageblockStart(roundStart)
        if bs < roundStart { bs += pb }   // a chunk that starts inside its block has no valid_page
        while bs < scanned {
            let chunkEnd = min(bs + pb, rangeEnd)
            guard chunkEnd <= scanned else { break }
            if pfnValid(bs), !isolated.contains(where: { $0 >= bs && $0 < chunkEnd }) { setSkip(bs) }
            bs += pb
        }
    }

    /// A clean page-cache page dropped (`shrink_folio_list` → free): freed with its pageblock's
    /// type, and its handle (a replayed foreign allocation's) released.
    func reclaimCleanPage(_ pfn: Int) {
        let i = index(pfn)
        if AllocInfo(raw: info[i]).handled {
            let h = Int(next[i])
            if handlePfn.contains(h), handlePfn[h] == UInt32(truncatingIfNeeded: pfn) { handlePfn.release(h) }
        }
        freePages(pfn: pfn, order: order(pfn))
        stats.pagesReclaimedByContig += 1 << order(pfn)
    }

    /// Migrate every movable allocated head in `[start, end)`, lowest pfn first (`do_migrate_range`
    /// of memory offline: `list_add_tail` onto its source list). Unmovable pages are left for
    /// `test_pages_isolated` to catch.
    /// - Returns: false when a movable page could not be migrated (no destination).
    public func migrateRange(_ start: Int, _ end: Int) -> Bool {
        var p = start
        while p < end {
            switch kind(p) {
            case .buddy: p += 1 << order(p)
            case .allocated:
                let o = order(p)
                if AllocInfo(raw: info[index(p)]).migratable && !migrateBlock(p) { return false }
                p += 1 << o
            default: p += 1
            }
        }
        return true
    }
}
