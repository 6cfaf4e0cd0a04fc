/// HIGHATOMIC reserves (v4.4+, 0aaa29a56e4f "mm, page_alloc: reserve pageblocks for high-order
/// atomic allocations on demand"): `reserve_highatomic_pageblock` and the reserve's term in
/// `__zone_watermark_unusable_free`.
///
/// A reserve is made by a high-order request with reserve access (ALLOC_HARDER ≤ v6.2,
/// ALLOC_HIGHATOMIC v6.3+; Machine+SlowPath.swift, `allocateBlock`) or by the scripted op
/// `reserve_highatomic: { pfn }`. Released by Machine+UnreserveHighatomic.swift.
extension Machine {
    /// Mirrors `reserve_highatomic_pageblock(page, zone)`: nothing when the reserve already holds
    /// its cap — v6.8+ (`KernelEra.highatomicReserveAlignedCap`, v6.12): `ALIGN(managed / 100,
    /// pageblock_nr_pages)`, and nothing at all when 1 % of the zone is less than a pageblock;
    /// v4.4–v6.7 (v5.19, Debian 6.1.192): `managed / 100 + pageblock_nr_pages` — or when the
    /// block is not of a mergeable type;
    /// else the block becomes HIGHATOMIC, its free pages move to the HIGHATOMIC lists
    /// (`move_freepages_block`) and `nr_reserved_highatomic` grows by a pageblock. With
    /// `KernelEra.highatomicMultiBlockTyping` (Debian's 6.12.118, not 6.1.192) a request of
    /// `order` ≥ pageblock_order retypes every pageblock of its block (`change_pageblock_range`)
    /// and the reserve grows by 2^order — found by the 6.12 oracle (`alloc 10 unmovable
    /// high,comp`: the kernel's second pageblock became HIGHATOMIC, the simulator's did not).
    /// - Returns: `.ok` when the block was reserved, `.fail` when the kernel would not reserve it,
    ///   `.einval` outside online RAM or in an era without HIGHATOMIC (before v4.4).
    @discardableResult
    public func reserveHighatomicPageblock(_ pfn: Int, order: Int = 0) -> OpResult {
        guard S.Era.watermark == .v4_4, isOnline(pfn) else { return .einval }
        let z = zoneOf(pfn)
        let pb = geometry.pageblockPages
        let onePercent = zone[z].managedPages / 100
        let maxManaged: Int
        if S.Era.highatomicReserveAlignedCap {
            guard onePercent >= pb else { return .fail }
            maxManaged = (onePercent + pb - 1) / pb * pb
        } else {
            maxManaged = onePercent + pb
        }
        guard zone[z].nrReservedHighatomic < maxManaged else { return .fail }
        let mt = blockType(pfn)
        guard mt.isMergeable else { return .fail }
        let blockStart = pfn & ~(pb - 1)
        if S.Era.highatomicMultiBlockTyping, order >= geometry.pageblockOrder {
            changePageblockRange(blockStart, order: order, .highatomic)   // the allocated block: no free pages in it
            zone[z].nrReservedHighatomic += 1 << order
            return .ok
        }
        // 6.12's move_freepages_block() → prep_move_freepages_block() answers -1 for a block
        // the zone does not wholly span (DMA's block 0 on a PC: the zone starts at pfn 1), and
        // reserve_highatomic_pageblock() then reserves nothing.
        if S.Era.highatomicMultiBlockTyping, blockStart < zone[z].startPfn || blockStart + pb > zone[z].endPfn { return .fail }
        zone[z].nrReservedHighatomic += pb
        setBlockType(blockStart, .highatomic)
        // 6.1 passes the allocated page: move_freepages_block() moves from that pfn, not the
        // block's first, when the zone does not span the block's start (found by the pc oracle,
        // 6.1 seed 3, `alloc 3 unmovable high` at 0x108 in DMA's block 0: 0x103 stays put).
        moveFreepagesBlock(pfn, to: .highatomic)
        return .ok
    }

    /// The reserve's term for a caller without ALLOC_RESERVES: `nr_reserved_highatomic`
    /// (v4.4 until Yu Zhao's 2024 fix, an over-estimate: reserved pages in use count too) or `nr_free_highatomic`.
    @inlinable
    public func highatomicUnusable(zone z: Int) -> Int {
        S.FreeLists.tracksFreeHighatomic ? truthFreeHighatomic(zone: z) : zone[z].nrReservedHighatomic
    }

    /// Pages on HIGHATOMIC free lists (= `nr_free_highatomic`, which `account_freepages` keeps
    /// in step with the lists).
    @inlinable
    public func truthFreeHighatomic(zone z: Int) -> Int {
        var n = 0
        for o in 0...geometry.maxOrder { n &+= listCount[listIndex(z, o, .highatomic)] &<< o }
        return n
    }
}
