/// Per-cpu pagesets (kernel-reference §7.3; v6.1 and v6.7+ code): `rmqueue_pcplist`,
/// `rmqueue_bulk`, `free_unref_page[_commit]`, `free_pcppages_bulk`, the drains and
/// `zone_pcp_disable/enable`. Only eras whose `KernelEra.pcp` is not `.none` reach this code.
extension Machine {
    @inlinable @inline(__always) var pcpState: PerCPUPages { book.pointee.pcp }

    /// The CPU the next allocation or free runs on (the executor sets it from the workload).
    @inlinable public var currentCPU: Int {
        get { book.pointee.pcp.current }
        set { book.pointee.pcp.current = newValue }
    }

    // MARK: - Sizes (`zone_batchsize`, `zone_highsize`, `zone_set_pageset_high_and_batch`)

    /// `zone_batchsize()` (CONFIG_MMU): ~0.1 % of the zone or 1 MiB, whichever is smaller, /4,
    /// then `rounddown_pow_of_two(batch + batch/2) - 1`, at least 1 (the caller's `max(1, …)`).
    public func pcpBatchSize(zone z: Int) -> Int {
        var batch = min(zone[z].managedPages >> 10, (1 << 20) >> geometry.pageShift)
        batch /= 4
        if batch < 1 { batch = 1 }
        let x = batch + batch / 2
        batch = (1 << (Int.bitWidth - 1 - x.leadingZeroBitCount)) - 1
        return max(1, batch)
    }

    /// `zone_highsize(zone, batch, cpu_online = 0, fraction)`: the low watermark (fraction 0) or
    /// `managed / fraction`, split across the node's CPUs, at least `4 × batch`.
    public func pcpHighSize(zone z: Int, batch: Int, fraction: Int) -> Int {
        let total = fraction == 0 ? zone[z].wmarkLow : zone[z].managedPages / fraction
        return max(total / pcpState.cpus, batch << 2)
    }

    /// `zone_pcp_update()` for every zone (called whenever the watermarks are recomputed, as
    /// `setup_per_zone_wmarks` does since v5.14). Unchanged sizes leave the sets alone.
    public func pcpUpdateAll() {
        guard S.Era.pcp != .none else { return }
        let p = pcpState
        for z in 0..<zoneCount {
            let batch = pcpBatchSize(zone: z)
            let high = pcpHighSize(zone: z, batch: batch, fraction: 0)
            let highMax = S.Era.pcp == .v6_7
                ? pcpHighSize(zone: z, batch: batch, fraction: PerCPUPages.highFractionMax) : high
            if p.zoneHigh[z] == high && p.zoneHighMax[z] == highMax && p.zoneBatch[z] == batch { continue }
            p.zoneHigh[z] = high; p.zoneHighMax[z] = highMax; p.zoneBatch[z] = batch
            pcpSetHighAndBatch(zone: z, high: high, highMax: highMax, batch: batch)
        }
    }

    /// `__zone_set_pageset_high_and_batch()` / `pageset_update()` on every CPU.
    func pcpSetHighAndBatch(zone z: Int, high: Int, highMax: Int, batch: Int) {
        let p = pcpState
        for cpu in 0..<p.cpus {
            let s = p.set(cpu, z)
            p.batch[s] = batch
            if S.Era.pcp == .v6_7 { p.highMin[s] = high; p.highMax[s] = highMax } else { p.high[s] = high }
        }
    }

    // MARK: - Allocation

    /// `rmqueue_pcplist()` + `__rmqueue_pcplist()` on the current CPU: take the first block of
    /// the list, refilling it with `rmqueue_bulk` when empty. Returns the pfn or -1.
    @inlinable
    public func pcpAllocate(zone z: Int, order: Int, _ type: AllocType) -> Int {
        let p = pcpState
        let s = p.set(p.current, z)
        if S.Era.pcp == .v6_7 { p.freeCount[s] >>= 1 } else { p.freeFactor[s] >>= 1 }
        let mt = type.migrateType
        let l = p.list(s, PerCPUPages.pindex(mt, order: order))
        if p.listHead[l] == frameNil {
            var batch: Int
            if S.Era.pcp == .v6_7 {
                batch = pcpAllocBatch(s, zone: z, order: order)
            } else {
                batch = p.batch[s]
                if batch > 1 { batch = max(batch >> order, 2) }
            }
            let alloced = rmqueueBulk(zone: z, order: order, count: batch, list: l, type)
            p.count[s] &+= alloced << order
            if p.listHead[l] == frameNil { return -1 }
        }
        let i = Int(p.listHead[l])
        pcpUnlink(i, list: l)
        p.count[s] &-= 1 << order
        return pfnOf(i)
    }

    /// v6.7+ `nr_pcp_alloc()`: grow `high` toward `high_max` unless the zone is below its high
    /// watermark; order-0 refills double (`alloc_factor`) while allocations run without frees.
    @inlinable
    func pcpAllocBatch(_ s: Int, zone z: Int, order: Int) -> Int {
        let p = pcpState
        let base = p.batch[s]
        var high = min(max(p.high[s], p.highMin[s]), p.highMax[s])
        p.high[s] = high
        if high < base { return 1 }
        var batch = order > 0 ? base : base << p.allocFactor[s]
        if p.highMin[s] != p.highMax[s] && !p.zoneBelowHigh[z] {
            high = min(high + batch, p.highMax[s]); p.high[s] = high
        }
        if order == 0 {
            let maxNrAlloc = max(high - p.count[s] - base, base)
            if batch <= maxNrAlloc && p.allocFactor[s] < PerCPUPages.batchScaleMax { p.allocFactor[s] += 1 }
            batch = min(batch, maxNrAlloc)
        }
        if batch > 1 { batch = max(batch >> order, 2) }
        return batch
    }

    /// `rmqueue_bulk()`: up to `count` blocks from `__rmqueue`, each appended at the list's tail
    /// (physical order after `expand`), cached with the type of the list it came from. ≤ v6.9
    /// subtracts NR_FREE_PAGES once for all and NR_FREE_CMA_PAGES per CMA block; v6.10's list
    /// primitives have already done it.
    @inlinable
    func rmqueueBulk(zone z: Int, order: Int, count: Int, list l: Int, _ type: AllocType) -> Int {
        var i = 0
        var mode = RmqueueMode.normal          // v6.15+ (6.12.y): kept across the refill
        while i < count {
            // ALLOC_NOFRAGMENT applies to every `__rmqueue` of the refill (Machine+NoFragment.swift).
            if S.Era.allocNoFragment || S.Defrag.enforcesNoFragment, book.pointee.noFragmentPass,
               noFragmentRefuses(zone: z, order: order, type.migrateType) { break }
            let (pfn, from) = S.Era.fallbackClaimThenSteal
                ? rmqueueClaimSteal(zone: z, order: order, type, mode: &mode)
                : rmqueue(zone: z, order: order, type)
            if pfn < 0 { break }
            let f = index(pfn)
            state[f] = packState(.pcp, order)
            info[f] = from.rawValue
            pcpLink(f, list: l, tail: true)
            if !S.FreeLists.inListPrimitives, from == .cma { zone[z].nrFreeCMAPages &-= 1 << order }
            i &+= 1
        }
        if !S.FreeLists.inListPrimitives { zone[z].nrFreePages &-= i << order }
        return i
    }

    // MARK: - Free

    /// `free_the_page()`: orders the pcp takes go to `free_unref_page` (eras with a pcp model),
    /// the rest (and every free in the other eras) to `__free_pages_ok` → the buddy.
    @inlinable @inline(__always)
    public func freeUnrefPage(pfn: Int, order: Int) {
        if S.Era.pcp != .none, layout.perCPUListsEnabled,
           pcpAllowedOrder(order) {
            let i = index(pfn)
            state[i] = 0; info[i] = 0; next[i] = frameNil
            pcpFree(pfn: pfn, order: order)
        } else {
            freePages(pfn: pfn, order: order)
        }
    }

    /// `free_unref_page()` on the current CPU. The pageblock's type picks the list (HIGHATOMIC and
    /// CMA go on MOVABLE's); an ISOLATE block bypasses the pcp (`free_one_page`). ≤ v6.9 caches
    /// the type in the page for `free_pcppages_bulk`.
    @inlinable
    public func pcpFree(pfn: Int, order: Int) {
        let mt = blockType(pfn)
        if mt == .isolate { freePages(pfn: pfn, order: order); return }
        let pcpType: MigrateType = mt.rawValue >= 3 ? .movable : mt
        let p = pcpState
        let z = zoneOf(pfn)
        let s = p.set(p.current, z)
        let i = index(pfn)
        state[i] = packState(.pcp, order)
        info[i] = (S.FreeLists.pcpCachesMigratetype ? mt : pcpType).rawValue
        let pindex = PerCPUPages.pindex(pcpType, order: order)
        if S.Era.pcp == .v6_7 { p.allocFactor[s] >>= 1 }
        pcpLink(i, list: p.list(s, pindex), tail: false)
        p.count[s] &+= 1 << order
        let batch = p.batch[s]
        if S.Era.pcp == .v6_7 {
            var freeHigh = false
            if order > 0 && order <= PerCPUPages.costlyOrder {
                // PCPF_FREE_HIGH_BATCH is never set: it needs a CPU cache slice > 3 × batch pages,
                // and User-Mode Linux reports none.
                freeHigh = p.freeCount[s] >= batch && p.flags[s] & PerCPUPages.flagPrevFreeHighOrder != 0
                p.flags[s] |= PerCPUPages.flagPrevFreeHighOrder
            } else {
                p.flags[s] &= ~PerCPUPages.flagPrevFreeHighOrder
            }
            if p.freeCount[s] < batch << PerCPUPages.batchScaleMax { p.freeCount[s] &+= 1 << order }
            let high = pcpHigh67(s, zone: z, batch: batch, freeHigh: freeHigh)
            if p.count[s] >= high {
                let n: Int
                if freeHigh { n = min(p.count[s], batch << PerCPUPages.batchScaleMax) }
                else if high < batch { n = 1 }
                else { n = min(max(p.freeCount[s], batch), high - batch) }
                freePCPPagesBulk(zone: z, set: s, count: n, pindex: pindex)
                if p.zoneBelowHigh[z] && zoneAboveHigh(z) { p.zoneBelowHigh[z] = false }
            }
        } else {
            // v6.1 free_unref_page_commit / nr_pcp_high / nr_pcp_free (no reclaim model:
            // ZONE_RECLAIM_ACTIVE is never set).
            let freeHigh = p.freeFactor[s] != 0 && order > 0 && order <= PerCPUPages.costlyOrder
            let high = freeHigh ? 0 : p.high[s]
            if p.count[s] >= high {
                var n: Int
                if freeHigh { n = p.count[s] }
                else if high < batch { n = 1 }
                else {
                    let maxFree = high - batch
                    n = batch << p.freeFactor[s]
                    if n < maxFree && p.freeFactor[s] < PerCPUPages.batchScaleMax { p.freeFactor[s] += 1 }
                    n = min(max(n, batch), maxFree)
                }
                freePCPPagesBulk(zone: z, set: s, count: n, pindex: pindex)
            }
        }
    }

    /// v6.7+ `nr_pcp_high()` (no reclaim model).
    @inlinable
    func pcpHigh67(_ s: Int, zone z: Int, batch: Int, freeHigh: Bool) -> Int {
        let p = pcpState
        let lo = p.highMin[s], hi = p.highMax[s]
        var high = min(max(p.high[s], lo), hi)
        p.high[s] = high
        if high == 0 { return 0 }
        if freeHigh { p.high[s] = max(high - (batch << PerCPUPages.batchScaleMax), lo); return 0 }
        if lo == hi { return high }
        if p.zoneBelowHigh[z] {
            p.high[s] = max(high - max(p.freeCount[s], batch), lo)
            high = max(p.count[s], lo)
        } else if p.count[s] >= high {
            let need = p.freeCount[s] + batch
            if p.high[s] < need { p.high[s] = min(max(need, lo), hi) }
        }
        return high
    }

    /// `zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0)`: no ALLOC_CMA.
    @inlinable
    func zoneAboveHigh(_ z: Int) -> Bool {
        let base = z &* orders
        return watermarkFormula(order: 0, mark: zone[z].wmarkHigh, freePages: pcpCheckFree(z),
                                freeCMA: zone[z].nrFreeCMAPages, allocCMA: false,
                                nrFreeAt: { self.nrFree[base &+ $0] },
                                listNonEmpty: { self.listCount[self.listIndex(z, $0, $1)] != 0 })
    }

    /// NR_FREE_PAGES less the HIGHATOMIC term, as `zone_watermark_fast` sees it.
    @inlinable @inline(__always)
    func pcpCheckFree(_ z: Int) -> Int {
        zone[z].nrReservedHighatomic == 0 ? zone[z].nrFreePages : zone[z].nrFreePages &- highatomicUnusable(zone: z)
    }

    /// v6.7+ `get_page_from_freelist()`: unless ZONE_BELOW_HIGH is set, check the high
    /// watermark first and set the flag when it fails (it shrinks `high` on later frees).
    @inlinable
    public func pcpDetectBelowHigh(zone z: Int, order: Int, _ type: AllocType) {
        let p = pcpState
        if p.zoneBelowHigh[z] { return }
        let base = z &* orders
        let ok = watermarkFormula(order: order, mark: zone[z].wmarkHigh, freePages: pcpCheckFree(z),
                                  freeCMA: zone[z].nrFreeCMAPages, allocCMA: type == .movable,
                                  nrFreeAt: { self.nrFree[base &+ $0] },
                                  listNonEmpty: { self.listCount[self.listIndex(z, $0, $1)] != 0 })
        if !ok { p.zoneBelowHigh[z] = true }
    }

    /// `free_pcppages_bulk()`: `count` pages (at most the set's count), lists taken round-robin
    /// starting with `pindex`, each block from the list's tail (the oldest free), freed to the
    /// buddy with the cached migratetype (≤ v6.9; the pageblock's if the zone has isolated
    /// blocks) or the pageblock's current one (v6.10).
    @inlinable
    public func freePCPPagesBulk(zone z: Int, set s: Int, count: Int, pindex start: Int) {
        let p = pcpState
        var count = min(p.count[s], count)
        var pindex = start &- 1
        let isolatedBlocks = zone[z].nrIsolatePageblock != 0
        while count > 0 {
            var l: Int
            repeat {
                pindex &+= 1
                if pindex > PerCPUPages.lists &- 1 { pindex = 0 }
                l = p.list(s, pindex)
            } while p.listHead[l] == frameNil
            let order = PerCPUPages.order(ofPindex: pindex, pageblockOrder: geometry.pageblockOrder)
            let pages = 1 &<< order
            repeat {
                let i = Int(p.listTail[l])
                var mt = MigrateType(rawValue: info[i]) ?? .movable
                pcpUnlink(i, list: l)
                count &-= pages
                p.count[s] &-= pages
                let pfn = pfnOf(i)
                if !S.FreeLists.pcpCachesMigratetype || isolatedBlocks { mt = blockType(pfn) }
                else if mt != blockType(pfn) { stats.pcpStaleMigratetypePages &+= pages }
                state[i] = 0; info[i] = 0
                freeCounted(pfn: pfn, order: order, mt)
            } while count > 0 && p.listHead[l] != frameNil
        }
    }

    // MARK: - Drains

    /// `drain_pages_zone(cpu, zone)`: everything, `batch << PCP_BATCH_SCALE_MAX` at a time.
    public func drainPagesZone(cpu: Int, zone z: Int) {
        let p = pcpState
        let s = p.set(cpu, z)
        var count = p.count[s]
        while count > 0 {
            let n = min(count, p.batch[s] << PerCPUPages.batchScaleMax)
            freePCPPagesBulk(zone: z, set: s, count: n, pindex: 0)
            count -= n
        }
    }

    /// `drain_local_pages(zone)`: the current CPU's set of `zone`.
    public func drainLocalPages(zone z: Int) {
        guard S.Era.pcp != .none, pcpState.cpus > 0, pcpState.count[pcpState.set(currentCPU, z)] != 0 else { return }
        drainPagesZone(cpu: currentCPU, zone: z)
    }

    /// `drain_all_pages(zone)` (nil: every zone): every CPU whose set holds pages.
    public func drainAllPages(zone: Int?) {
        guard S.Era.pcp != .none else { return }
        for z in 0..<zoneCount where zone == nil || zone == z {
            for cpu in 0..<pcpState.cpus where pcpState.count[pcpState.set(cpu, z)] != 0 {
                drainPagesZone(cpu: cpu, zone: z)
            }
        }
    }

    /// `zone_pcp_disable()`: `high` 0 and `batch` 1 on every CPU (a free then goes straight
    /// through), then drain every CPU. Offline holds it from isolation to the end.
    public func zonePCPDisable(zone z: Int) {
        guard S.Era.pcp != .none else { return }
        pcpState.zoneDisabled[z] = true
        pcpSetHighAndBatch(zone: z, high: 0, highMax: 0, batch: 1)
        for cpu in 0..<pcpState.cpus { drainPagesZone(cpu: cpu, zone: z) }
    }

    /// `zone_pcp_enable()`: the zone's `pageset_high`/`pageset_batch` back on every CPU.
    public func zonePCPEnable(zone z: Int) {
        guard S.Era.pcp != .none else { return }
        let p = pcpState
        p.zoneDisabled[z] = false
        pcpSetHighAndBatch(zone: z, high: p.zoneHigh[z], highMax: p.zoneHighMax[z], batch: p.zoneBatch[z])
    }

    // MARK: - List primitives (`page->pcp_list`)

    @inlinable @inline(__always)
    func pcpLink(_ i: Int, list l: Int, tail: Bool) {
        let p = pcpState
        let u = UInt32(truncatingIfNeeded: i)
        if tail {
            let t = p.listTail[l]
            prev[i] = t; next[i] = frameNil
            if t == frameNil { p.listHead[l] = u } else { next[Int(t)] = u }
            p.listTail[l] = u
        } else {
            let h = p.listHead[l]
            next[i] = h; prev[i] = frameNil
            if h == frameNil { p.listTail[l] = u } else { prev[Int(h)] = u }
            p.listHead[l] = u
        }
        p.listLength[l] &+= 1
    }

    @inlinable @inline(__always)
    func pcpUnlink(_ i: Int, list l: Int) {
        let p = pcpState
        let n = next[i], pr = prev[i]
        if pr == frameNil { p.listHead[l] = n } else { next[Int(pr)] = n }
        if n == frameNil { p.listTail[l] = pr } else { prev[Int(n)] = pr }
        next[i] = frameNil; prev[i] = frameNil
        p.listLength[l] &-= 1
    }
}
