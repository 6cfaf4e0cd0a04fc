/// Allocation: `__rmqueue_smallest`, `expand`, `__rmqueue`, and the request entry points.
extension Machine {
    /// Mirrors `expand()`: halve the block `[pfn, pfn + 2^high)` down to `low`, keeping the low
    /// half and putting each upper half `page[size]` at the head of `free_list[mt]` of its order.
    @inlinable @inline(__always)
    public func expand(pfn: Int, low: Int, high: Int, _ mt: MigrateType, zone z: Int) {
        var high = high
        var size = 1 &<< high
        while high > low {
            high &-= 1
            size &>>= 1
            addToFreeList(pfn &+ size, order: high, mt, zone: z, tail: false)
        }
    }

    /// Mirrors `__rmqueue_smallest()`: the first block of the smallest order ≥ `order` on
    /// `free_list[mt]`, split by `expand`. Returns the pfn or -1.
    @inlinable
    public func rmqueueSmallest(zone z: Int, order: Int, _ mt: MigrateType) -> Int {
        var current = order
        while current <= geometry.maxOrder {
            let h = listHead[listIndex(z, current, mt)]
            if h != frameNil {
                let pfn = pfnOf(Int(h))
                delFromFreeList(pfn, zone: z)
                expand(pfn: pfn, low: order, high: current, mt, zone: z)
                return pfn
            }
            current &+= 1
        }
        return -1
    }

    /// Mirrors `__rmqueue()` of the era: own list, then CMA (MOVABLE only) and fallback stealing.
    /// - Returns: pfn and the list type it was taken from (CMA pages are accounted as CMA).
    @inlinable
    public func rmqueue(zone z: Int, order: Int, _ type: AllocType) -> (pfn: Int, from: MigrateType) {
        // v6.x ALLOC_NOFRAGMENT pass: no stealing below a whole pageblock (Machine+NoFragment.swift).
        if S.Era.allocNoFragment || S.Defrag.enforcesNoFragment, book.pointee.noFragmentPass, noFragmentRefuses(zone: z, order: order, type.migrateType) {
            return (-1, type.migrateType)
        }
        if S.Era.fallbackClaimThenSteal {
            var mode = RmqueueMode.normal      // rmqueue_buddy: a fresh mode per call
            return rmqueueClaimSteal(zone: z, order: order, type, mode: &mode)
        }
        if S.FreeLists.inListPrimitives { return rmqueueHygiene(zone: z, order: order, type) }
        let mt = type.migrateType
        switch S.Era.fallback {
        case .e2012:
            let pfn = rmqueueSmallest(zone: z, order: order, mt)
            if pfn >= 0 { return (pfn, mt) }
            return rmqueueFallback2012(zone: z, order: order, mt)
        case .e2022:
            // v5.x: balance movable allocations into CMA when over half the free memory is CMA.
            if mt == .movable, zonePageState(zone[z].nrFreeCMAPages) > zonePageState(zone[z].nrFreePages) / 2 {
                let pfn = rmqueueSmallest(zone: z, order: order, .cma)
                if pfn >= 0 { return (pfn, .cma) }
            }
            var pfn = rmqueueSmallest(zone: z, order: order, mt)
            if pfn >= 0 { return (pfn, mt) }
            if mt == .movable {
                pfn = rmqueueSmallest(zone: z, order: order, .cma)
                if pfn >= 0 { return (pfn, .cma) }
            }
            if rmqueueFallback2022(zone: z, order: order, mt) {
                pfn = rmqueueSmallest(zone: z, order: order, mt)
                if pfn >= 0 { return (pfn, mt) }
            }
            return (-1, mt)
        }
    }

    /// Take a block for a request (the `try_this_zone` of `get_page_from_freelist`): watermark
    /// check (counter-based, as the kernel does), `rmqueue`, NR_FREE_PAGES −2^order. Returns the
    /// head pfn or -1. `reserve`: `lowmem_reserve[classzone]` of this zone
    /// (Machine+LowmemReserve.swift), compared as `min + lowmem_reserve` after the reserve
    /// arithmetic. `flags`: the request's `alloc_flags` (AllocationContext.swift); empty for the
    /// requests without a gfp mask, which are checked at MIN with no reserve access, as always.
    @inlinable
    public func allocateBlock(zone z: Int, order: Int, _ type: AllocType, reserve: Int = 0,
                              flags: AllocFlags = []) -> Int {
        if S.Era.pcp == .v6_7 { pcpDetectBelowHigh(zone: z, order: order, type) }
        guard zone[z].managedPages > 0 else { return -1 }
        // ALLOC_NO_WATERMARKS: the check is made, then ignored ("goto try_this_zone").
        guard watermarkOK(zone: z, order: order, mark: markFor(flags, zone: z), allocCMA: type == .movable,
                          safe: false, flags: flags, reserve: reserve) || flags.contains(.noWatermarks)
        else { return -1 }
        if S.Era.pcp != .none, layout.perCPUListsEnabled,
           pcpAllowedOrder(order) {
            let pfn = pcpAllocate(zone: z, order: order, type)   // rmqueue_pcplist (Machine+PerCPU.swift)
            // rmqueue: a failed pcp refill falls to rmqueue_buddy, whose only other sources are
            // the HIGHATOMIC lists (never reached without reserve flags).
            if pfn >= 0 || flags.isEmpty {
                if pfn >= 0, reservesOnSuccess(flags, order: order) { reserveHighatomicPageblock(pfn, order: order) }
                return pfn
            }
        }
        var pfn = -1, from = type.migrateType
        // rmqueue_buddy: MIGRATE_HIGHATOMIC first for ALLOC_HARDER order > 0 (≤ v6.2) / ALLOC_HIGHATOMIC.
        if usesHighatomicLists(flags, order: order) {
            pfn = rmqueueSmallest(zone: z, order: order, .highatomic); from = .highatomic
        }
        if pfn < 0 {
            (pfn, from) = rmqueue(zone: z, order: order, type)
            if pfn < 0, fallsBackToHighatomic(flags) {
                pfn = rmqueueSmallest(zone: z, order: order, .highatomic); from = .highatomic
            }
        }
        guard pfn >= 0 else { return -1 }
        if !S.FreeLists.inListPrimitives {
            let pages = 1 &<< order
            zone[z].nrFreePages &-= pages
            if from == .cma { zone[z].nrFreeCMAPages &-= pages }
        }
        if reservesOnSuccess(flags, order: order) { reserveHighatomicPageblock(pfn, order: order) }
        return pfn
    }

    /// A workload allocation in zone `z`, or along the zonelist when `z` is nil: returns a
    /// handle (≥ 0) or -1 when no block could be had. `compound` defaults to true for
    /// order > 0; movable pages are migratable (LRU).
    @inlinable
    public func allocate(zone z: Int?, order: Int, type: AllocType, compound: Bool? = nil) -> Int {
        var pfn = z.map { allocateBlock(zone: $0, order: order, type) } ?? allocateInZonelist(order: order, type)
        if pfn < 0, S.Era.unreservesHighatomicBeforeFailing {
            // v6.x: unreserve_highatomic_pageblock + drain + retry (Machine+UnreserveHighatomic.swift).
            pfn = directReclaimRetry(zone: z, order: order, type)
        } else if pfn < 0, S.Era.pcp != .none, totalPCPPages > 0 {
            // __alloc_pages_direct_reclaim: nothing reclaimed, so drain_all_pages(NULL) and retry once.
            drainAllPages(zone: nil)
            pfn = z.map { allocateBlock(zone: $0, order: order, type) } ?? allocateInZonelist(order: order, type)
        }
        guard pfn >= 0 else { stats.allocFailures &+= 1; return -1 }
        stats.allocs &+= 1
        return markAllocated(pfn: pfn, order: order,
                             AllocInfo(type: type, migratable: type == .movable,
                                       compound: compound ?? (order > 0)))
    }

    /// Record an allocated head and give it a handle.
    @inlinable
    public func markAllocated(pfn: Int, order: Int, _ attrs: AllocInfo) -> Int {
        let i = index(pfn)
        state[i] = packState(.allocated, order)
        info[i] = attrs.raw
        guard attrs.handled else { next[i] = frameNil; return -1 }
        let h = book.pointee.handles.issue(pfn: UInt32(truncatingIfNeeded: pfn))
        next[i] = UInt32(truncatingIfNeeded: h)
        return h
    }

    /// The free block (head, order) covering `pfn`, found the way the kernel does it: try heads
    /// aligned to increasing orders (`alloc_contig_range`'s outer_start search, bounded).
    public func freeBlockCovering(_ pfn: Int) -> (head: Int, order: Int)? {
        for o in 0...geometry.maxOrder {
            let head = pfn & ~((1 << o) - 1)
            guard pfnValid(head) else { return nil }
            if isBuddy(head) {
                let ho = order(head)
                return head + (1 << ho) > pfn ? (head, ho) : nil
            }
        }
        return nil
    }

    /// The allocated head (head, order) whose block covers `pfn` (`compound_head()` for compound
    /// pages; for any allocated block in the simulator's bookkeeping).
    public func allocatedBlockCovering(_ pfn: Int) -> (head: Int, order: Int)? {
        for o in 0...geometry.maxOrder {
            let head = pfn & ~((1 << o) - 1)
            guard pfnValid(head) else { return nil }
            if kind(head) == .allocated {
                let ho = order(head)
                return head + (1 << ho) > pfn ? (head, ho) : nil
            }
            if isBuddy(head) { return nil }
        }
        return nil
    }

    /// A scripted allocation at an exact pfn (a pinned kernel page placed on purpose): the free
    /// block covering it is taken off its list and split, the other pieces going back to the
    /// same list (as `split_free_page` would). Fails with `.ebusy` when the range is not free
    /// or its free block sits on an ISOLATE list, `.einval` when misaligned or outside RAM.
    public func allocate(atPfn pfn: Int, order: Int, type: AllocType, compound: Bool?) -> (OpResult, Int) {
        guard order >= 0, order <= geometry.maxOrder, pfn & ((1 << order) - 1) == 0,
              pfnValid(pfn), pfnValid(pfn + (1 << order) - 1) else { return (.einval, -1) }
        guard isOnline(pfn), let (head, ho) = freeBlockCovering(pfn), ho >= order else { return (.ebusy, -1) }
        let z = zoneOf(pfn)
        let mt = listType(head)
        guard mt != .isolate else { return (.ebusy, -1) }
        delFromFreeList(head, zone: z)
        // Split [head, head+2^ho) down to [pfn, pfn+2^order), returning the other halves.
        var cur = head, co = ho
        while co > order {
            co -= 1
            let half = 1 << co
            if pfn >= cur + half {
                addToFreeList(cur, order: co, mt, zone: z, tail: false); cur += half
            } else {
                addToFreeList(cur + half, order: co, mt, zone: z, tail: false)
            }
        }
        if !S.FreeLists.inListPrimitives {
            zone[z].nrFreePages -= 1 << order
            if mt == .cma { zone[z].nrFreeCMAPages -= 1 << order }
        }
        stats.allocs += 1
        let h = markAllocated(pfn: pfn, order: order,
                              AllocInfo(type: type, migratable: type == .movable,
                                        compound: compound ?? (order > 0)))
        return (.ok, h)
    }
}
