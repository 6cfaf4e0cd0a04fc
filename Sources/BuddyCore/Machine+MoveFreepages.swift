/// `move_freepages_block` / `move_freepages` / `change_pageblock_range` (kernel-reference §4.1).
extension Machine {
    /// Mirrors `move_freepages_block(zone, page, mt[, &num_movable])`.
    ///
    /// Quirks reproduced on purpose:
    /// - (a) `nr_free` is untouched (list moves only) — unless `nrFreeDelta` is given, which
    ///   design C's `hotplug_move_freepages_block` uses to take blocks out of `nr_free`;
    /// - (b) a head of order > pageblock_order inside the block moves all `2^order` pages, its
    ///   tail in the next pageblock included, and they all count in the return value;
    /// - (c) a free block whose head lies in an earlier pageblock is not seen (tails are skipped);
    /// - if the block's end lies beyond the zone, nothing moves and 0 is returned.
    /// - `num_movable` (v4.13+, 02aa0cdd) counts every pfn whose page tests `PageLRU`, a
    ///   PF_HEAD flag: every page of an LRU (movable) compound page inside the block, tails
    ///   included; a non-compound movable block counts its head only.
    /// - Returns: pages moved and `num_movable`.
    @inlinable @discardableResult
    public func moveFreepagesBlock(_ pfn: Int, to mt: MigrateType, nrFreeDelta: Int = 0)
        -> (moved: Int, movable: Int)
    {
        let z = zoneOf(pfn)
        let pb = geometry.pageblockPages
        var start = pfn & ~(pb &- 1)
        let end = start &+ pb &- 1
        if start < zone[z].startPfn { start = pfn }
        if end >= zone[z].endPfn { return (0, 0) }
        var moved = 0, movable = 0
        var p = start
        // Tails of a compound page whose head lies in an earlier pageblock (order > pageblock_order).
        if kind(start) == .none, let (head, ho) = allocatedBlockCovering(start) {
            let a = AllocInfo(raw: info[index(head)])
            let stop = min(head &+ (1 &<< ho), end &+ 1)
            if a.migratable && a.compound { movable &+= stop &- start }
            p = stop
        }
        while p <= end {
            let s = state[index(p)]
            let k = s >> 4
            if k == FrameKind.buddy.rawValue {
                let o = Int(s & 15)
                moveToFreeList(p, mt, zone: z)
                if nrFreeDelta != 0 { nrFree[z &* orders &+ o] &+= nrFreeDelta }
                moved &+= 1 &<< o
                p &+= 1 &<< o
            } else if k == FrameKind.allocated.rawValue {
                // The kernel walks pfn by pfn; one step per block gives the same count: all its
                // pfns inside the block for an LRU compound page, the head alone otherwise.
                let a = AllocInfo(raw: info[index(p)])
                let next = p &+ (1 &<< Int(s & 15))
                if a.migratable { movable &+= a.compound ? min(next, end &+ 1) &- p : 1 }
                p = next
            } else {
                p &+= 1
            }
        }
        return (moved, movable)
    }

    /// Mirrors `change_pageblock_range()`: retype every pageblock a block of `order` covers.
    @inlinable
    public func changePageblockRange(_ pfn: Int, order: Int, _ mt: MigrateType) {
        let pbOrder = geometry.pageblockOrder
        var n = order >= pbOrder ? 1 &<< (order &- pbOrder) : 1
        var p = pfn
        while n > 0 { setBlockType(p, mt); p &+= geometry.pageblockPages; n &-= 1 }
    }
}
