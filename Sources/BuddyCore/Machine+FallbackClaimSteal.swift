/// `__rmqueue()` with the fallback split into `__rmqueue_claim` and `__rmqueue_steal` (v6.15,
/// in Debian's 6.12.117; `KernelEra.fallbackClaimThenSteal`, Strategies+Era612.swift), on the
/// v6.10 hygienic free lists (`FreeListAccounting.inListPrimitives`).
///
/// The 6.12.117 source keeps the older names: `can_steal_fallback`, `try_to_steal_block`.

/// Where `__rmqueue` found pages last (`enum rmqueue_mode`): `rmqueue_bulk` keeps it across its
/// loop so a refill that had to steal does not search the preferred and claimable lists again.
public enum RmqueueMode: Sendable {
    case normal, cma, claim, steal
}

extension Machine {
    /// Mirrors 6.12.117 `__rmqueue(zone, order, migratetype, alloc_flags, &mode)`. ALLOC_CMA is
    /// set for MOVABLE requests; ALLOC_NOFRAGMENT is never set here (no ZONE_DMA32 below
    /// ZONE_NORMAL in the machines the oracle boots), so stealing is always allowed.
    @inlinable
    public func rmqueueClaimSteal(zone z: Int, order: Int, _ type: AllocType,
                                  mode: inout RmqueueMode) -> (pfn: Int, from: MigrateType) {
        let mt = type.migrateType
        let allocCMA = mt == .movable
        // Balance movable allocations into CMA when over half the free memory is CMA.
        if allocCMA, zone[z].nrFreeCMAPages > zone[z].nrFreePages / 2 {
            let pfn = rmqueueSmallest(zone: z, order: order, .cma)
            if pfn >= 0 { return (pfn, .cma) }
        }
        if mode == .normal {
            let pfn = rmqueueSmallest(zone: z, order: order, mt)
            if pfn >= 0 { return (pfn, mt) }
        }
        if mode == .normal || mode == .cma, allocCMA {
            let pfn = rmqueueSmallest(zone: z, order: order, .cma)
            if pfn >= 0 { mode = .cma; return (pfn, .cma) }
        }
        if mode != .steal {
            let pfn = rmqueueClaim(zone: z, order: order, mt)
            if pfn >= 0 { mode = .normal; return (pfn, mt) }
        }
        let (pfn, from) = rmqueueSteal(zone: z, order: order, mt)
        if pfn >= 0 { mode = .steal }
        return (pfn, from)
    }

    /// Mirrors `__rmqueue_claim()`: from MAX_PAGE_ORDER down to `order`, the first order with a
    /// fallback list that is not empty decides: if the request may not steal at that order
    /// (`can_steal_fallback`) the search ends; otherwise the first block of that list is offered
    /// to `try_to_steal_block`, and a block it refuses is passed over for the next order down.
    @inlinable
    func rmqueueClaim(zone z: Int, order: Int, _ start: MigrateType) -> Int {
        var current = geometry.maxOrder
        while current >= order {
            if let (fb, canSteal) = findSuitableFallback(zone: z, order: current, start) {
                if !canSteal { break }
                let pfn = pfnOf(Int(listHead[listIndex(z, current, fb)]))
                let got = tryToStealBlock(pfn, zone: z, currentOrder: current, order: order, start)
                if got >= 0 { noteExtfrag(got, start); return got }
            }
            current -= 1
        }
        return -1
    }

    /// Mirrors 6.12.117 `try_to_steal_block()`: never a HIGHATOMIC block; a block of ≥
    /// pageblock_order is taken whole (every pageblock retyped, expanded onto the requester's
    /// lists); a smaller one converts its pageblock when the free pages plus the "alike" pages
    /// (`prep_move_freepages_block` counts) reach half a pageblock, then the request is served
    /// from the requester's own lists. `boost_watermark` is not modelled (no reclaim).
    /// - Returns: the pfn allocated, or -1 when the block was not claimed.
    @inlinable
    func tryToStealBlock(_ pfn: Int, zone z: Int, currentOrder: Int, order: Int, _ start: MigrateType) -> Int {
        let blockMt = blockType(pfn)
        if blockMt == .highatomic { return -1 }
        if currentOrder >= geometry.pageblockOrder {
            delFromFreeList(pfn, zone: z)
            changePageblockRange(pfn, order: currentOrder, start)
            expand(pfn: pfn, low: order, high: currentOrder, start, zone: z)
            return pfn
        }
        guard let (freePages, movable) = countBlockForClaim(pfn) else { return -1 }
        let alike: Int
        if start == .movable { alike = movable }
        else if blockMt == .movable { alike = geometry.pageblockPages - (freePages + movable) }
        else { alike = 0 }
        guard freePages + alike >= 1 << (geometry.pageblockOrder - 1) else { return -1 }
        let blockStart = pfn & ~(geometry.pageblockPages - 1)
        moveFreepagesBlock(blockStart, to: start)       // __move_freepages_block, then retype
        setBlockType(blockStart, start)
        return rmqueueSmallest(zone: z, order: order, start)
    }

    /// Mirrors `__rmqueue_steal()`: from `order` up, the first order with a fallback list that
    /// is not empty gives its first block, split on its own list (`page_del_and_expand(…,
    /// fallback_mt)`); the block keeps its type.
    @inlinable
    func rmqueueSteal(zone z: Int, order: Int, _ start: MigrateType) -> (pfn: Int, from: MigrateType) {
        var current = order
        while current <= geometry.maxOrder {
            if let (fb, _) = findSuitableFallback(zone: z, order: current, start) {
                let pfn = pfnOf(Int(listHead[listIndex(z, current, fb)]))
                delFromFreeList(pfn, zone: z)
                expand(pfn: pfn, low: order, high: current, fb, zone: z)
                noteExtfrag(pfn, start)
                return (pfn, fb)
            }
            current += 1
        }
        return (-1, start)
    }
}
