/// Freeing: `__free_one_page` and the callers that account for it.
extension Machine {
    /// `page_is_buddy()`: the buddy is a valid pfn in the same zone, online, and a free head of
    /// exactly `order` (offline frames are `reserved`, so they never qualify).
    @inlinable @inline(__always)
    public func pageIsBuddy(_ buddy: Int, order: Int, zone z: Int) -> Bool {
        guard pfnValid(buddy) else { return false }
        let s = state[index(buddy)]
        return s == packState(.buddy, order) && zoneOf(buddy) == z
    }

    /// Mirrors `__free_one_page()` (mm/page_alloc.c): merge with free buddies while the merge
    /// rules allow, then put the result on `free_list[migrateType]` of its final order — the
    /// caller's migratetype, whatever lists the absorbed buddies were on. Touches `nr_free` (via
    /// the list primitives) but not NR_FREE_PAGES: where that is counted is the caller's business
    /// (it moved between eras, §2.5).
    ///
    /// Worked example (the kernel's own): freeing pfn 8 at order 1, the buddy is 8 ^ 2 = 10;
    /// if 10 is a free order-1 head they merge into order 2 at 8 & 10 = 8.
    /// - Returns: the head pfn and order of the block that ended up on the list.
    /// `toTail`: FPI_TO_TAIL (the caller forces the tail, v5.10+ `__putback_isolated_page`).
    @inlinable @discardableResult
    public func freeOnePage(pfn start: Int, order startOrder: Int, migrateType mt: MigrateType,
                            zone z: Int, toTail: Bool = false) -> (pfn: Int, order: Int) {
        var pfn = start
        var order = startOrder
        let maxOrder = geometry.maxOrder
        let pbOrder = geometry.pageblockOrder
        // compaction_capture: Int.max unless a direct compaction is running (Compaction/).
        let captureOrder = book.pointee.captureOrder
        while order < maxOrder {
            if order == captureOrder, compactionCapture(pfn: pfn, order: order, mt, zone: z) { return (pfn, order) }
            let buddy = pfn ^ (1 &<< order)
            guard pageIsBuddy(buddy, order: order, zone: z) else { break }
            if order >= pbOrder {
                // Read the buddy's pageblock type only after validating it (787af64d05cd).
                guard S.Merge.mayMerge(order: order, freeing: mt, buddyBlock: blockType(buddy),
                                       zoneHasIsolatedBlocks: zone[z].nrIsolatePageblock != 0)
                else { break }
            }
            delFromFreeList(buddy, zone: z)
            // v6.10: a merge across pageblocks of different (mergeable) types retypes the
            // buddy's blocks, so a later expand() puts the pieces on the right lists.
            if S.FreeLists.inListPrimitives, order >= pbOrder, blockType(buddy) != mt {
                changePageblockRange(buddy, order: order, mt)
            }
            pfn &= buddy
            order &+= 1
        }
        // Tail placement (buddy_merge_likely): if the block's buddy is not free but the buddy of
        // the next-larger block is, this block is likely to merge soon: keep it at the tail so
        // the allocator hands out other blocks first.
        // FPI_TO_TAIL (v5.10+: boot, online, __putback_isolated_page) puts it at the tail outright.
        var tail = toTail
        if !tail && order < maxOrder &- 1 {
            let combined = pfn & ~(1 &<< order)
            let higherBuddy = combined ^ (1 &<< (order &+ 1))
            tail = pageIsBuddy(higherBuddy, order: order &+ 1, zone: z)
        }
        addToFreeList(pfn, order: order, mt, zone: z, tail: tail)
        return (pfn, order)
    }

    /// `__free_one_page` with its accounting, as the design places it (§2.5, §8): counted into
    /// NR_FREE_PAGES (and NR_FREE_CMA_PAGES) unless the block is ISOLATE and the design skips
    /// those; design C (Minchan 2012-06-20) then cancels the `nr_free` increment at the
    /// *original* order — wrong when the free merged with isolated buddies (its defect 1).
    @inlinable
    public func freeCounted(pfn: Int, order: Int, _ mt: MigrateType, toTail: Bool = false) {
        let z = zoneOf(pfn)
        let pages = 1 &<< order
        if !S.FreeLists.inListPrimitives, mt != .isolate || S.Accounting.countsFreeIntoIsolate {
            zone[z].nrFreePages &+= pages
            if mt == .cma { zone[z].nrFreeCMAPages &+= pages }
        }
        freeOnePage(pfn: pfn, order: order, migrateType: mt, zone: z, toTail: toTail)
        if mt == .isolate && S.Accounting.rollsBackNrFreeOnIsolatedFree { nrFree[z &* orders &+ order] &-= 1 }
    }

    /// The free path every caller uses: `free_one_page()` / `__free_pages_ok()` of an allocated
    /// head, with the pageblock's current migratetype. Not a workload free by itself (migration,
    /// contig and hotplug free through it too): `free(handle:)` counts those.
    @inlinable
    public func freePages(pfn: Int, order: Int) {
        let i = index(pfn)
        state[i] = 0; info[i] = 0; next[i] = frameNil
        if S.Era.freeSplitsLargeBuddies, order > geometry.pageblockOrder {
            splitLargeBuddy(pfn, order: order, toTail: false)   // v6.11+ free_one_page
        } else {
            freeCounted(pfn: pfn, order: order, blockType(pfn))
        }
    }

    /// Free an allocated block by its handle (the workload's free). No-op for a stale handle.
    @inlinable
    public func free(handle: Int) {
        guard book.pointee.handles.contains(handle) else { return }
        let pfn32 = book.pointee.handles[handle]
        guard pfn32 != frameNil else { return }
        let pfn = Int(pfn32)
        book.pointee.handles.release(handle)
        freeUnrefPage(pfn: pfn, order: order(pfn))
        stats.frees &+= 1
    }
}
