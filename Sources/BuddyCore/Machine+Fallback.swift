/// Fallback and pageblock stealing, per era (kernel-reference §1.5, §3.2).
extension Machine {
    /// Fallback rows. E2012 (v3.6) puts CMA first in MOVABLE's row and stops at RESERVE (not
    /// modelled); E2014–E2022 reach CMA only through `__rmqueue_cma_fallback`.
    @inlinable @inline(__always)
    public func fallbacks(_ mt: MigrateType) -> (MigrateType, MigrateType, MigrateType?) {
        switch (S.Era.fallback, mt) {
        case (_, .unmovable): return (.reclaimable, .movable, nil)
        case (_, .reclaimable): return (.unmovable, .movable, nil)
        case (.e2012, .movable): return (.cma, .reclaimable, .unmovable)
        case (.e2022, .movable): return (.reclaimable, .unmovable, nil)
        default: return (.unmovable, .unmovable, nil)
        }
    }

    /// Mirrors v3.6 `__rmqueue_fallback()`: scan orders top-down; steal the whole pageblock's
    /// free pages at ≥ pageblock_order/2 (or for RECLAIMABLE), claim it when that moved at least
    /// half a pageblock, retype the whole range at ≥ pageblock_order, expand onto the
    /// requester's list (or keep CMA pages on the CMA list).
    ///
    /// v3.13–v3.19 (`KernelEra.unclaimedFallbackRemainderStaysOnFallbackList`, our v3.18):
    /// `try_to_steal_freepages` returns `fallback_type` unless it took ownership (order ≥
    /// pageblock_order, or over half the block moved), and the split remainder is expanded onto
    /// *that* list — the free pages it moved stay on the requester's lists.
    @inlinable
    public func rmqueueFallback2012(zone z: Int, order: Int, _ start: MigrateType) -> (pfn: Int, from: MigrateType) {
        let row = fallbacks(start)
        let pbOrder = geometry.pageblockOrder
        var current = geometry.maxOrder
        while current >= order {
            for step in 0..<3 {
                let candidate: MigrateType? = step == 0 ? row.0 : (step == 1 ? row.1 : row.2)
                guard let fb = candidate else { break }
                let h = listHead[listIndex(z, current, fb)]
                if h == frameNil { continue }
                let pfn = pfnOf(Int(h))
                var mt = fb
                var claimed = current >= pbOrder
                if fb != .cma, current >= pbOrder / 2 || start == .reclaimable {
                    let (moved, _) = moveFreepagesBlock(pfn, to: start)
                    if moved >= 1 << (pbOrder - 1) { setBlockType(pfn, start); claimed = true }
                    mt = start
                }
                delFromFreeList(pfn, zone: z)
                if current >= pbOrder, mt != .cma { changePageblockRange(pfn, order: current, start) }
                var newType: MigrateType = mt == .cma ? .cma : start
                if S.Era.unclaimedFallbackRemainderStaysOnFallbackList, !claimed { newType = fb }
                expand(pfn: pfn, low: order, high: current, newType, zone: z)
                noteExtfrag(pfn, start)
                return (pfn, newType)
            }
            current -= 1
        }
        return (-1, start)
    }

    /// `can_steal_fallback()` (v4.4+).
    @inlinable @inline(__always)
    func canStealFallback(order: Int, _ start: MigrateType) -> Bool {
        let pbOrder = geometry.pageblockOrder
        return order >= pbOrder || order >= pbOrder / 2 || start == .reclaimable || start == .unmovable
    }

    /// `find_suitable_fallback(area, order, mt, only_stealable=false, &can_steal)`.
    @inlinable
    func findSuitableFallback(zone z: Int, order: Int, _ start: MigrateType) -> (MigrateType, Bool)? {
        if nrFree[z * orders + order] == 0 { return nil }
        let row = fallbacks(start)
        let fb: MigrateType
        if listHead[listIndex(z, order, row.0)] != frameNil { fb = row.0 }
        else if listHead[listIndex(z, order, row.1)] != frameNil { fb = row.1 }
        else { return nil }
        return (fb, canStealFallback(order: order, start))
    }

    /// The block `__rmqueue_fallback()` (v4.13–v6.14) takes: top-down, the first order with a
    /// suitable fallback list decides; a MOVABLE request that may not steal there takes the
    /// smallest suitable block instead (`find_smallest`). Shared by the v5.x and v6.10 shapes.
    @inlinable
    func findFallbackBlock(zone z: Int, order: Int, _ start: MigrateType) -> (order: Int, mt: MigrateType, canSteal: Bool)? {
        var current = geometry.maxOrder
        while current >= order {
            if let (fb, canSteal) = findSuitableFallback(zone: z, order: current, start) {
                guard !canSteal, start == .movable, current > order else { return (current, fb, canSteal) }
                for o in order...geometry.maxOrder {
                    if let (fb2, cs2) = findSuitableFallback(zone: z, order: o, start) { return (o, fb2, cs2) }
                }
                return nil
            }
            current -= 1
        }
        return nil
    }

    /// Mirrors v5.x `__rmqueue_fallback()` + `steal_suitable_fallback()`. Returns true when
    /// something was moved onto the requester's lists (the caller retries `__rmqueue_smallest`).
    @inlinable
    public func rmqueueFallback2022(zone z: Int, order: Int, _ start: MigrateType) -> Bool {
        let pbOrder = geometry.pageblockOrder
        let found = findFallbackBlock(zone: z, order: order, start)
        guard let (o, fb, wholeBlock) = found else { return false }
        let pfn = pfnOf(Int(listHead[listIndex(z, o, fb)]))
        let oldBlockType = blockType(pfn)
        // mm_page_alloc_extfrag fires after each of these steals (__rmqueue_fallback).
        defer { noteExtfrag(pfn, start) }
        if oldBlockType == .highatomic || !wholeBlock {
            if oldBlockType != start { stats.fallbackUnclaimedPages &+= 1 << o }
            moveToFreeList(pfn, start, zone: z); return true
        }
        if o >= pbOrder {
            changePageblockRange(pfn, order: o, start)
            moveToFreeList(pfn, start, zone: z); return true
        }
        let (freePages, movable) = moveFreepagesBlock(pfn, to: start)
        if freePages == 0 {
            stats.fallbackUnclaimedPages &+= 1 << o
            moveToFreeList(pfn, start, zone: z); return true
        }
        // steal_suitable_fallback (v4.13+, 02aa0cdd): for a non-movable request falling back to
        // a MOVABLE block every non-free, non-movable page counts as alike; from the other
        // non-movable type nothing does (the two cannot be told apart).
        let alike: Int
        if start == .movable { alike = movable }
        else if oldBlockType == .movable { alike = geometry.pageblockPages - freePages - movable }
        else { alike = 0 }
        if freePages + alike >= 1 << (pbOrder - 1) { setBlockType(pfn, start) }
        else { stats.fallbackUnclaimedPages &+= freePages }
        return true
    }
}

extension Machine {
    /// `trace_mm_page_alloc_extfrag` after a fallback: one event, a claim when the pageblock
    /// now has the requester's type (the tracepoint's `change_ownership`), else a steal.
    @inlinable @inline(__always)
    func noteExtfrag(_ pfn: Int, _ start: MigrateType) {
        stats.extfragEvents &+= 1
        if blockType(pfn) == start { stats.extfragClaims &+= 1 }
    }
}
