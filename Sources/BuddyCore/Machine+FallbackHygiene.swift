/// v6.10 `__rmqueue()` after Johannes Weiner's "mm: page_alloc: freelist migratetype hygiene"
/// (2024; "mm: page_alloc: fix freelist movement during block conversion"): a block's free
/// pages move to the requester's lists only when the whole block is claimed; otherwise the one
/// block is split on its own pageblock's list
/// (`page_del_and_expand(…, block_type)`). Every free page stays on its pageblock's list.
/// Reached when `FreeListAccounting.inListPrimitives` (the accounting is in the primitives).
extension Machine {
    @inlinable
    public func rmqueueHygiene(zone z: Int, order: Int, _ type: AllocType) -> (pfn: Int, from: MigrateType) {
        let mt = type.migrateType
        // ALLOC_CMA: balance movable allocations into CMA when over half the free memory is CMA.
        if mt == .movable, zone[z].nrFreeCMAPages > zone[z].nrFreePages / 2 {
            let pfn = rmqueueSmallest(zone: z, order: order, .cma)
            if pfn >= 0 { return (pfn, .cma) }
        }
        var pfn = rmqueueSmallest(zone: z, order: order, mt)
        if pfn >= 0 { return (pfn, mt) }
        if mt == .movable {
            pfn = rmqueueSmallest(zone: z, order: order, .cma)
            if pfn >= 0 { return (pfn, .cma) }
        }
        return rmqueueFallbackHygiene(zone: z, order: order, mt)
    }

    /// v6.10 `__rmqueue_fallback()` + `steal_suitable_fallback()`.
    @inlinable
    func rmqueueFallbackHygiene(zone z: Int, order: Int, _ start: MigrateType) -> (pfn: Int, from: MigrateType) {
        let pbOrder = geometry.pageblockOrder
        let found = findFallbackBlock(zone: z, order: order, start)
        guard let (o, fb, wholeBlock) = found else { return (-1, start) }
        let pfn = pfnOf(Int(listHead[listIndex(z, o, fb)]))
        let blockMt = blockType(pfn)
        // v6.10 `__rmqueue_fallback` traces mm_page_alloc_extfrag after `steal_suitable_fallback`
        // on every path (claim or single page): count it as the older fallbacks do.
        defer { noteExtfrag(pfn, start) }
        if blockMt != .highatomic {
            if o >= pbOrder {
                // Take ownership: retype every pageblock, expand onto the requester's lists.
                delFromFreeList(pfn, zone: z)
                changePageblockRange(pfn, order: o, start)
                expand(pfn: pfn, low: order, high: o, start, zone: z)
                return (pfn, start)
            }
            if wholeBlock, let (freePages, movable) = countBlockForClaim(pfn) {
                let alike: Int
                if start == .movable { alike = movable }
                else if blockMt == .movable { alike = geometry.pageblockPages - freePages - movable }
                else { alike = 0 }
                if freePages + alike >= 1 << (pbOrder - 1) {
                    let blockStart = pfn & ~(geometry.pageblockPages - 1)
                    setBlockType(blockStart, start)
                    moveFreepagesBlock(blockStart, to: start)
                    return (rmqueueSmallest(zone: z, order: order, start), start)
                }
            }
        }
        // single_page: split the block on its own list.
        delFromFreeList(pfn, zone: z)
        expand(pfn: pfn, low: order, high: o, fb, zone: z)
        return (pfn, fb)
    }

    /// `prep_move_freepages_block()` with counts: free pages (PageBuddy heads, whole) and
    /// movable in-use pages of the pageblock, or nil when the block crosses the zone. The
    /// kernel tests `PageLRU` pfn by pfn, a PF_HEAD flag: every pfn of an LRU (movable)
    /// compound page inside the block counts, tails included (also the tails of one whose head
    /// lies in an earlier pageblock); a non-compound movable block counts its head only — the
    /// same count `moveFreepagesBlock` returns.
    @inlinable
    func countBlockForClaim(_ pfn: Int) -> (free: Int, movable: Int)? {
        let z = zoneOf(pfn)
        let pb = geometry.pageblockPages
        let start = pfn & ~(pb &- 1)
        let end = start &+ pb
        guard start >= zone[z].startPfn, end &- 1 < zone[z].endPfn else { return nil }
        var free = 0, movable = 0
        var p = start
        if kind(start) == .none, let (head, ho) = allocatedBlockCovering(start) {
            let a = AllocInfo(raw: info[index(head)])
            let stop = min(head &+ (1 &<< ho), end)
            if a.migratable && a.compound { movable &+= stop &- start }
            p = stop
        }
        while p < end {
            let s = state[index(p)]
            if s >> 4 == FrameKind.buddy.rawValue {
                free &+= 1 &<< Int(s & 15); p &+= 1 &<< Int(s & 15)
            } else if s >> 4 == FrameKind.allocated.rawValue {
                let a = AllocInfo(raw: info[index(p)])
                let next = p &+ (1 &<< Int(s & 15))
                if a.migratable { movable &+= a.compound ? min(next, end) &- p : 1 }
                p = next
            } else {
                p &+= 1
            }
        }
        return (free, movable)
    }
}
