/// The operations of the oracle driver (`scripts/oracle/buddylab_oracle.c`), each shaped as the
/// kernel call the driver makes, so a command sequence can run on the simulator and on the real
/// kernel alike. Pages a driver allocates are not on the LRU: whatever their migratetype, the
/// kernel cannot migrate them (`has_unmovable_pages` and `isolate_migratepages_range` look for
/// `PageLRU` / `__PageMovable`), so none of these allocations is migratable.
extension Machine {
    /// `alloc_pages(gfp, order)` from a driver: a `type` request (`gfp_migratetype()`), never
    /// migratable. The oracle driver passes no `__GFP_COMP`, so a high-order block is not a
    /// compound page: its tails have refcount 0 and `has_unmovable_pages` skips them, and a
    /// block straddling an isolation boundary is not refused by `isolate_single_pageblock`.
    /// Returns a handle or -1.
    public func allocatePinned(order: Int, type: AllocType, compound: Bool = false) -> Int {
        let pfn = allocateInZonelist(order: order, type)
        guard pfn >= 0 else { stats.allocFailures += 1; return -1 }
        stats.allocs += 1
        return markAllocated(pfn: pfn, order: order, AllocInfo(type: type, migratable: false, compound: compound && order > 0))
    }

    /// The oracle driver's `alloc` with its real mask (`OracleGFP.mask`): `__alloc_pages` with the
    /// variant's reserve-access rules (Machine+SlowPath.swift) — fast path at LOW, then the slow
    /// path at MIN for a non-blocking request, HIGHATOMIC use and reservation — and a pinned page
    /// (not on the LRU), compound when the mask has `__GFP_COMP`.
    public func allocatePinned(order: Int, type: AllocType, gfp: GFPMask) -> Int {
        let pfn = allocPages(zone: nil, order: order, type, gfp: gfp)
        guard pfn >= 0 else { stats.allocFailures += 1; return -1 }
        stats.allocs += 1
        return markAllocated(pfn: pfn, order: order,
                             AllocInfo(type: type, migratable: false, compound: gfp.contains(.comp) && order > 0))
    }

    /// Replays an allocation someone other than the driver made (the oracle log's `foreign
    /// alloc`): the block at exactly `pfn` is taken out of the free block covering it, as
    /// `allocate(atPfn:)` does, and is pinned.
    /// With pcp lists on, an order `pcp_allowed_order` takes goes through them instead
    /// (`foreignAllocThroughPCP`).
    public func foreignAlloc(pfn: Int, order: Int, type: AllocType, compound: Bool? = nil) -> OpResult {
        if S.Era.pcp != .none, layout.perCPUListsEnabled, pcpAllowedOrder(order) {
            return foreignAllocThroughPCP(pfn: pfn, order: order, type: type, compound: compound)
        }
        let (r, _) = allocate(atPfn: pfn, order: order, type: type, compound: compound ?? (order > 0))
        guard r == .ok else { return r }
        let old = AllocInfo(raw: info[index(pfn)])
        info[index(pfn)] = AllocInfo(type: type, migratable: false, compound: old.compound, handled: old.handled).raw
        return .ok
    }

    /// Replays one page fault of the oracle's `anon` mapping (`do_anonymous_page`: an order-0
    /// movable page, then on the LRU) at exactly `pfn`, as `foreignAlloc` does (through the pcp
    /// list when it is on), and makes it a migratable page with a handle, so that migration keeps
    /// its pfn current. - Returns: the handle, or nil when the page could not be taken there.
    public func replayAnonFault(pfn: Int) -> Int? {
        guard foreignAlloc(pfn: pfn, order: 0, type: .movable) == .ok else { return nil }
        let i = index(pfn)
        let a = AllocInfo(raw: info[i])
        if a.handled, handlePfn.contains(Int(next[i])), handlePfn[Int(next[i])] == UInt32(truncatingIfNeeded: pfn) {
            info[i] = AllocInfo(type: .movable, migratable: true, compound: false).raw
            return Int(next[i])
        }
        return markAllocated(pfn: pfn, order: 0, AllocInfo(type: .movable, migratable: true, compound: false))
    }

    /// Replays a free someone other than the driver made (`foreign free PFN ORDER`): `pfn` must
    /// head an allocated block of `order` (a replayed foreign alloc), or every frame of
    /// `[pfn, pfn + 2^order)` must be imported pinned memory, which is then freed as one block
    /// through `free_the_page` (`freeUnrefPage`: the pcp list when it is on and takes the order,
    /// else `__free_pages_ok` with the pageblock's migratetype).
    public func foreignFree(pfn: Int, order: Int) -> OpResult {
        let size = 1 << order
        guard order <= geometry.maxOrder, pfn & (size - 1) == 0, pfnValid(pfn), pfnValid(pfn + size - 1) else {
            return .einval
        }
        guard kind(pfn) == .allocated else { return .einval }
        let head = AllocInfo(raw: info[index(pfn)])
        if self.order(pfn) == order, head.handled {
            let h = Int(next[index(pfn)])
            if handlePfn.contains(h), handlePfn[h] == UInt32(truncatingIfNeeded: pfn) { handlePfn.release(h) }
            freeUnrefPage(pfn: pfn, order: order)
            return .ok
        }
        for q in pfn..<(pfn + size) {
            let a = AllocInfo(raw: info[index(q)])
            guard kind(q) == .allocated, self.order(q) == 0, !a.handled, !a.migratable else { return .einval }
        }
        for q in (pfn + 1)..<(pfn + size) { state[index(q)] = 0; info[index(q)] = 0 }
        state[index(pfn)] = packState(.allocated, order)
        freeUnrefPage(pfn: pfn, order: order)
        return .ok
    }

    /// `start_isolate_page_range(start, end, MIGRATE_MOVABLE, flags)` as the era has it: the
    /// pre-5.19 block-by-block isolation, or the v5.19 one with boundary handling (straddling
    /// free blocks split, straddling compound pages migrated or refused). The `offline` flavour
    /// (MEMORY_OFFLINE | REPORT_FAILURE) differs only for HWPoison and PageOffline pages, which
    /// the simulator does not have.
    public func isolatePageRange(_ start: Int, _ end: Int) -> OpResult {
        guard start < end, pfnValid(start), pfnValid(end - 1) else { return .einval }
        if S.Alignment.boundary == .none {
            return startIsolatePageRange(start, end, restore: .movable).moved == nil ? .ebusy : .ok
        }
        return startIsolatePageRange2022(start, end, restore: .movable, forCMA: false).result
    }

    /// Mirrors `cma_alloc(cma, count, align, no_warn)` (mm/cma.c, v5.19–v6.1) with an explicit
    /// alignment order and `order_per_bit` 0: `bitmap_find_next_zero_area_off()` with the mask
    /// and the offset of an unaligned base, `alloc_contig_range(…, MIGRATE_CMA)`, and on -EBUSY
    /// a retry one alignment step further; any other error ends the search.
    /// - Returns: the first pfn, or nil.
    public func cmaAllocAligned(area a: Int, count: Int, alignOrder: Int) -> Int? {
        guard a < cmaAreas.count, count > 0, count <= cmaAreas[a].pages else { return nil }
        let base = cmaAreas[a].base
        let size = cmaAreas[a].pages
        let mask = alignOrder > 0 ? (1 << alignOrder) - 1 : 0
        let offset = base & ((1 << alignOrder) - 1)
        var start = 0
        while true {
            guard let idx = Self.findZeroArea(cmaAreas[a].bitmap, size: size, start: start, count: count,
                                              mask: mask, offset: offset) else { return nil }
            // One write per range, not per bit (a per-element write through the areas array
            // paid a uniqueness check each time: a tenth of a long lockstep).
            cmaAreas[a].bitmap.replaceSubrange(idx..<(idx + count), with: repeatElement(true, count: count))
            let r = allocContigRange(base + idx, base + idx + count, forCMA: true).result
            if r == .ok { return base + idx }
            cmaAreas[a].bitmap.replaceSubrange(idx..<(idx + count), with: repeatElement(false, count: count))
            guard r == .ebusy else { return nil }
            start = idx + mask + 1
        }
    }

    /// `bitmap_find_next_zero_area_off()`: the first index ≥ `start` with `(index + offset)`
    /// aligned to `mask + 1` and `count` clear bits, or nil when it would end past `size`.
    static func findZeroArea(_ map: [Bool], size: Int, start: Int, count: Int, mask: Int, offset: Int) -> Int? {
        var start = start
        while true {
            var index = start
            while index < size && map[index] { index += 1 }
            index = ((index + offset + mask) & ~mask) - offset
            let end = index + count
            if end > size { return nil }
            if let busy = (index..<end).first(where: { map[$0] }) { start = busy + 1; continue }
            return index
        }
    }
}
