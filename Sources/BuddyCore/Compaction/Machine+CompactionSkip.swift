/// Pageblock skip hints and the cached scanner positions (mm/compaction.c, CONFIG_COMPACTION):
/// `isolation_suitable`, `test_and_set_skip`, `update_cached_migrate`, `update_pageblock_skip`,
/// `reset_cached_positions`, `__reset_isolation_suitable`.
extension Machine {
    @inlinable func pageblockStart(_ pfn: Int) -> Int { pfn & ~(geometry.pageblockPages - 1) }
    @inlinable func pageblockEnd(_ pfn: Int) -> Int { (pfn + geometry.pageblockPages) & ~(geometry.pageblockPages - 1) }
    @inlinable func isPageblockAligned(_ pfn: Int) -> Bool { pfn & (geometry.pageblockPages - 1) == 0 }

    func setSkip(_ pfn: Int) { compaction.skip[pageblockIndex(pfn)] = true }

    /// `isolation_suitable`.
    @inline(__always) func isolationSuitable(_ cc: borrowing CompactControl, _ pfn: Int) -> Bool {
        cc.ignoreSkipHint || !compaction.skip[pageblockIndex(pfn)]
    }

    /// `test_and_set_skip` (6.1 takes the pfn and acts only at a pageblock-aligned one).
    @inline(__always) func testAndSetSkip(_ cc: borrowing CompactControl, _ pfn: Int) -> Bool {
        if cc.ignoreSkipHint { return false }
        if S.Era.compaction == .v6_1 && !isPageblockAligned(pfn) { return false }
        let skip = compaction.skip[pageblockIndex(pfn)]
        if !skip { setSkip(pfn) }
        return skip
    }

    /// `update_cached_migrate`.
    @inline(__always) func updateCachedMigrate(_ cc: borrowing CompactControl, _ pfn: Int) {
        let end = pageblockEnd(pfn)
        if end > compaction.zones[cc.zone].cachedMigratePfn.async { compaction.zones[cc.zone].cachedMigratePfn.async = end }
        if cc.mode != .async && end > compaction.zones[cc.zone].cachedMigratePfn.sync {
            compaction.zones[cc.zone].cachedMigratePfn.sync = end
        }
    }

    /// `update_pageblock_skip` (the free scanner's): mark the block, pull the cached free pfn.
    @inline(__always) func updatePageblockSkip(_ cc: borrowing CompactControl, block: Int, cachedPfn: Int) {
        setSkip(block)
        if cachedPfn < compaction.zones[cc.zone].cachedFreePfn { compaction.zones[cc.zone].cachedFreePfn = cachedPfn }
    }

    /// `reset_cached_positions`.
    func resetCachedPositions(zone z: Int) {
        compaction.zones[z].cachedMigratePfn = (zone[z].startPfn, zone[z].startPfn)
        compaction.zones[z].cachedFreePfn = pageblockStart(zone[z].endPfn - 1)
    }

    /// `__reset_isolation_pfn`: clear a block's skip hint when a sample of its pages (every
    /// 2^PAGE_ALLOC_COSTLY_ORDER-th) finds an LRU page (source) or a free page (target).
    func resetIsolationPfn(zone z: Int, _ pfn: Int, checkSource: Bool, checkTarget: Bool) -> Bool {
        guard pfnValid(pfn), isOnline(pfn), zoneOf(pfn) == z else { return false }
        // pageblock_skip_persistent: a compound page of at least pageblock order keeps its hint.
        if let head = allocatedBlockCovering(pfn), AllocInfo(raw: info[index(head.head)]).compound,
           head.order >= geometry.pageblockOrder { return false }
        if checkSource && checkTarget && !compaction.skip[pageblockIndex(pfn)] { return true }
        if !checkSource && checkTarget && blockType(pfn) != .movable { return false }
        var p = max(pageblockStart(pfn), zone[z].startPfn)
        let last = min(pageblockEnd(pfn) - 1, zone[z].endPfn - 1)
        guard isOnline(last) else { return false }
        while p <= last {
            if checkSource, kind(p) == .allocated, AllocInfo(raw: info[index(p)]).migratable {
                compaction.skip[pageblockIndex(p)] = false; return true
            }
            if checkTarget, kind(p) == .buddy { compaction.skip[pageblockIndex(p)] = false; return true }
            p += 1 << Self.costlyOrder
        }
        return false
    }

    /// `__reset_isolation_suitable`: after a full direct compaction finished
    /// (`compact_blockskip_flush`), walk the zone from both ends clearing skip hints and set the
    /// cached (and initial) scanner positions to the first suitable blocks.
    public func resetIsolationSuitable(zone z: Int) {
        compactionSetUp()
        guard compaction.zones[z].blockskipFlush else { return }
        compaction.zones[z].blockskipFlush = false
        var migratePfn = zone[z].startPfn
        var freePfn = zone[z].endPfn - 1
        var resetMigrate = freePfn, resetFree = migratePfn
        var sourceSet = false, freeSet = false
        let pb = geometry.pageblockPages
        while migratePfn < freePfn {
            if resetIsolationPfn(zone: z, migratePfn, checkSource: true, checkTarget: sourceSet), migratePfn < resetMigrate {
                sourceSet = true
                resetMigrate = migratePfn
                compaction.zones[z].initMigratePfn = resetMigrate
                compaction.zones[z].cachedMigratePfn = (resetMigrate, resetMigrate)
            }
            if resetIsolationPfn(zone: z, freePfn, checkSource: freeSet, checkTarget: true), freePfn > resetFree {
                freeSet = true
                resetFree = freePfn
                compaction.zones[z].initFreePfn = resetFree
                compaction.zones[z].cachedFreePfn = resetFree
            }
            migratePfn += pb; freePfn -= pb
        }
        if resetMigrate >= resetFree {
            compaction.zones[z].cachedMigratePfn = (migratePfn, migratePfn)
            compaction.zones[z].cachedFreePfn = freePfn
        }
    }

    /// `reset_isolation_suitable(pgdat)`: every zone (kswapd calls it before it sleeps).
    public func resetIsolationSuitable() {
        for z in 0..<zoneCount where zone[z].managedPages > 0 { resetIsolationSuitable(zone: z) }
    }
}
