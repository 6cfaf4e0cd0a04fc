/// Memory offline / online of memory blocks (kernel-reference §7), 2012 and v5.10+ shapes.
extension Machine {
    public func blockRange(_ b: Int) -> (start: Int, end: Int) {
        let start = ramStart + b * layout.memoryBlockPages
        return (start, start + layout.memoryBlockPages)
    }

    /// Mirrors `offline_pages()`: isolate, migrate, `test_pages_isolated`,
    /// `__offline_isolated_pages`, then un-isolate (2012) or leave ISOLATE (v5.10+).
    public func offlineBlock(_ b: Int) -> ContigResult {
        guard b >= 0, b < blockOnline.count else { return ContigResult(result: .einval, detail: "no memory block \(b)") }
        guard blockOnline[b] else { return ContigResult(result: .einval, detail: "memory block \(b) is offline") }
        let (start, end) = blockRange(b)
        // v5.5+ offline_pages (c5e79ef561b0): a block with memory holes is -EINVAL ("memory holes"); every era:
        // test_pages_in_a_zone() must find the whole range in one zone, else -EINVAL
        // ("multizone range"). v3.x did not test holes: isolation met the hole's PG_reserved
        // pages, which has_unmovable_pages refuses (-EBUSY) — decided here, before the zone test,
        // because v3.x test_pages_in_a_zone looked only at the first valid pfn of each
        // MAX_ORDER chunk and the simulator keeps no struct page for a hole.
        if let hole = firstAbsentPfn(start, end) {
            return S.Era.offlineRefusesMemoryHoles
                ? ContigResult(result: .einval, detail: "memory block \(b) has memory holes")
                : ContigResult(result: .ebusy, detail: "isolation failed at pfn \(hex(hole)): a memory hole's reserved page (has_unmovable_pages)")
        }
        let z = zoneOfSlow(start)
        // No holes, so every pfn is in some zone's span: one zone iff that zone spans it all.
        if end > zone[z].endPfn {
            return ContigResult(result: .einval, detail: "memory block \(b) spans zones \(layout.zones[z].name) and \(layout.zones[zoneOfSlow(end - 1)].name) (test_pages_in_a_zone)")
        }
        zonePCPDisable(zone: z)          // offline_pages: pcp caching off from isolation to the end
        defer { zonePCPEnable(zone: z) }
        if S.Alignment.boundary == .none {
            let (moved, failedAt) = startIsolatePageRange(start, end, restore: .movable)
            if moved == nil {
                return ContigResult(result: .ebusy, detail: "isolation failed at pfn \(hex(failedAt ?? start))")
            }
        } else {
            let r = startIsolatePageRange2022(start, end, restore: .movable, forCMA: false)
            if r.result != .ok { return r }
        }
        if !migrateRange(start, end) {
            undoIsolatePageRange(start, end, to: .movable)
            return ContigResult(result: .ebusy, detail: "migration found no destination")
        }
        if let stop = testPagesIsolated(start, end) {
            undoIsolatePageRange(start, end, to: .movable)
            return ContigResult(result: .ebusy, detail: "page at \(hex(stop)) could not be isolated")
        }
        // __offline_isolated_pages: unlink every buddy, nr_free−, NR_FREE_PAGES− per design.
        var p = start
        while p < end {
            let o = order(p)
            delFromFreeList(p, zone: z)
            if !S.Accounting.offlineDecrementsNrFree { nrFree[z * orders + o] += 1 }
            if !S.FreeLists.inListPrimitives, S.Accounting.offlineSubtracts { zone[z].nrFreePages -= 1 << o }
            p += 1 << o
        }
        for q in start..<end { state[index(q)] = packState(.reserved, 0); info[index(q)] = 0 }
        let blocks = layout.memoryBlockPages / geometry.pageblockPages
        if S.Era.onlineThroughIsolate {
            zone[z].nrIsolatePageblock -= blocks
            zone[z].nrPageblockIsolate -= blocks
        } else {
            undoIsolatePageRange(start, end, to: .movable)
        }
        blockOnline[b] = false
        zone[z].managedPages -= end - start
        zone[z].presentPages -= end - start
        recomputeWatermarks(hotplug: true)
        return ContigResult(result: .ok, detail: "offlined [\(hex(start)), \(hex(end)))")
    }

    /// Mirrors `online_pages()`: 2012 frees every page at order 0 into MOVABLE blocks; v5.10+
    /// frees max-order chunks into ISOLATE blocks and counts them at un-isolation.
    public func onlineBlock(_ b: Int) -> ContigResult {
        guard b >= 0, b < blockOnline.count else { return ContigResult(result: .einval, detail: "no memory block \(b)") }
        guard !blockOnline[b] else { return ContigResult(result: .einval, detail: "memory block \(b) is online") }
        let (start, end) = blockRange(b)
        if layout.hotpluggableRange.contains(start), !isHotAdded(start) {
            return ContigResult(result: .einval, detail: "memory block \(b) was never added (no memory block device)")
        }
        // A hot-added block: online_pages() picks its zone and grows that zone's span over it
        // (a no-op when an earlier online already did).
        let z = isHotAdded(start) ? zoneForHotAddedBlock(start, end) : zoneOf(start)
        blockOnline[b] = true
        forgetTypesBeforeIsolation(start, end)   // memmap_init: the blocks start over as MOVABLE
        zone[z].managedPages += end - start
        zone[z].presentPages += end - start
        for q in start..<end { state[index(q)] = 0 }
        if S.Era.onlineThroughIsolate {
            // move_pfn_range_to_zone(…, MIGRATE_ISOLATE) retypes every block; online_pages then
            // adds nr_pages / pageblock_nr_pages to nr_isolate_pageblock unconditionally (v5.10+,
            // mm/memory_hotplug.c) — offline subtracted the same amount, so the pair balances.
            let blocks = (end - start) / geometry.pageblockPages
            var p = start
            while p < end { setBlockType(p, .isolate); p += geometry.pageblockPages }
            zone[z].nrIsolatePageblock += blocks; zone[z].nrPageblockIsolate += blocks
            p = start
            while p < end {
                // generic_online_page → __free_pages_core: FPI_TO_TAIL from v5.10 (7fef431be9c9).
                // v6.11+: __free_pages_ok → free_one_page splits it into (ISOLATE) pageblocks.
                if S.Era.freeSplitsLargeBuddies {
                    splitLargeBuddy(p, order: geometry.maxOrder, toTail: true)
                } else {
                    freeCounted(pfn: p, order: geometry.maxOrder, .isolate, toTail: S.Era.freeListMovesToTail)
                }
                p += geometry.maxOrderPages
            }
            undoIsolatePageRange(start, end, to: .movable)
        } else {
            var p = start
            while p < end { setBlockType(p, .movable); p += geometry.pageblockPages }
            for q in start..<end { freePages(pfn: q, order: 0) }
        }
        recomputeWatermarks(hotplug: true)
        return ContigResult(result: .ok, detail: "onlined [\(hex(start)), \(hex(end)))")
    }
}
