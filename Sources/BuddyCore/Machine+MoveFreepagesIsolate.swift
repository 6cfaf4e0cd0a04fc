/// v6.10 page isolation on hygienic free lists (Johannes Weiner, fd919a85cd55 "mm:
/// page_isolation: prepare for hygienic freelists"; the same code in Debian's 6.12.117):
/// `set_migratetype_isolate` / `unset_migratetype_isolate` call `move_freepages_block_isolate`,
/// which first splits a free buddy larger than a pageblock that covers the block into
/// pageblock-sized pieces, each freed on its own pageblock's list, so every free page sits on
/// the list of the block it is in. Reached when `FreeListAccounting.isolationSplitsLargeBuddies`.
extension Machine {
    /// Mirrors `find_large_buddy(start_pfn)` (v6.10+): try heads aligned to increasing orders
    /// up to MAX_PAGE_ORDER; the first `PageBuddy` found is returned if it covers `start`,
    /// otherwise (or when none is found) `start` itself.
    public func findLargeBuddy(_ start: Int) -> Int {
        var o = 0
        var p = start
        while !(pfnValid(p) && isBuddy(p)) {
            o += 1
            if o > geometry.maxOrder { return start }
            p = start & ~((1 << o) - 1)
        }
        return p + (1 << order(p)) > start ? p : start
    }

    /// Mirrors `split_large_buddy(zone, page, pfn, order, fpi)` (v6.10 isolation; v6.11+ also
    /// `free_one_page`): free the block, already off its list, in pieces of at most
    /// pageblock_order through `__free_one_page`, each with its own pageblock's migratetype
    /// read when it is freed (so a piece may merge with its neighbours again where the merge
    /// rules allow).
    public func splitLargeBuddy(_ pfn: Int, order o: Int, toTail: Bool) {
        let pieceOrder = min(o, geometry.pageblockOrder)
        let end = pfn + (1 << o)
        var p = pfn
        repeat {
            freeCounted(pfn: p, order: pieceOrder, blockType(p), toTail: toTail)
            p += 1 << pieceOrder
        } while p < end
    }

    /// Mirrors `move_freepages_block_isolate(zone, page, migratetype)` (v6.10+): false when the
    /// pageblock is not wholly inside the zone (`prep_move_freepages_block`). A free buddy
    /// covering the block from an earlier pfn, or starting at the block with an order above
    /// pageblock_order, is taken off its list, the block retyped, and the buddy split by
    /// `splitLargeBuddy`; otherwise the block's free pages move to `mt`'s lists and the block
    /// is retyped (`__move_freepages_block`).
    /// - Returns: nil where the kernel returns false; else the free pages of the block that
    ///   changed list (the block's whole piece after a split), for the simulator's op details.
    @discardableResult
    public func moveFreepagesBlockIsolate(_ pfn: Int, to mt: MigrateType) -> Int? {
        let z = zoneOf(pfn)
        let pb = geometry.pageblockPages
        let start = pfn & ~(pb - 1)
        guard start >= zone[z].startPfn, start + pb - 1 < zone[z].endPfn else { return nil }
        if geometry.pageblockOrder < geometry.maxOrder {
            let head = findLargeBuddy(start)
            if head != start || (isBuddy(start) && order(start) > geometry.pageblockOrder) {
                // A tail block of a larger buddy, or the first block of one.
                let o = order(head)
                delFromFreeList(head, zone: z)
                setBlockType(start, mt)
                splitLargeBuddy(head, order: o, toTail: false)
                return pb
            }
        }
        let moved = moveFreepagesBlock(start, to: mt).moved
        setBlockType(start, mt)
        return moved
    }
}
