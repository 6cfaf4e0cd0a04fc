/// The per-cpu pagesets in the oracle's terms: importing a kernel's `struct per_cpu_pages`
/// (its `pcpset` fields and `pcp` lists, scripts/oracle/PROTOCOL.md) onto an imported machine,
/// and reading them back under the kernel's field names for the lockstep comparison.
extension Machine {
    /// `pcp_allowed_order()`: orders up to PAGE_ALLOC_COSTLY_ORDER, and the pageblock order
    /// only with CONFIG_TRANSPARENT_HUGEPAGE (mm/page_alloc.c, 6.1 and 6.12: the `#ifdef`
    /// around `order == pageblock_order`; NR_PCP_THP is 0 without it, so there is no THP list).
    @inlinable @inline(__always)
    public func pcpAllowedOrder(_ order: Int) -> Bool {
        order <= PerCPUPages.costlyOrder || (layout.transparentHugepage && order == geometry.pageblockOrder)
    }

    /// The fields of `cpu`'s set for zone `z` that decide its next refill and free, named as
    /// the kernel's `struct per_cpu_pages` (6.1: `free_factor`; 6.7+: `high_min`, `high_max`,
    /// `free_count`, `alloc_factor`, `flags`) plus the zone flags the pcp code reads
    /// (`below_high`: ZONE_BELOW_HIGH, 6.7+; `reclaim_active`: ZONE_RECLAIM_ACTIVE, never set
    /// here — there is no kswapd model). Empty for eras without a pcp model.
    public func pcpSetFields(cpu: Int, zone z: Int) -> [String: Int] {
        guard S.Era.pcp != .none else { return [:] }
        let p = pcpState, s = p.set(cpu, z)
        var f = ["count": p.count[s], "high": p.high[s], "batch": p.batch[s], "reclaim_active": 0]
        if S.Era.pcp == .v6_7 {
            f["high_min"] = p.highMin[s]; f["high_max"] = p.highMax[s]
            f["free_count"] = p.freeCount[s]; f["alloc_factor"] = p.allocFactor[s]
            f["flags"] = Int(p.flags[s]); f["below_high"] = p.zoneBelowHigh[z] ? 1 : 0
        } else {
            f["free_factor"] = p.freeFactor[s]
        }
        return f
    }

    /// The migratetype each block on list `pindex` of `cpu`'s set carries (≤ v6.9: the one
    /// `free_pcppages_bulk` frees it with — `get_pcppage_migratetype`), head first.
    public func pcpCachedTypes(cpu: Int, zone z: Int, pindex: Int) -> [MigrateType] {
        guard S.Era.pcp != .none else { return [] }
        var out: [MigrateType] = []
        var i = pcpState.listHead[pcpState.list(pcpState.set(cpu, z), pindex)]
        while i != frameNil { out.append(MigrateType(rawValue: info[Int(i)]) ?? .movable); i = next[Int(i)] }
        return out
    }

    /// Places the kernel's pcp list (`pfns` head → tail) on `cpu`'s set for zone 0: each block
    /// must be imported in-use memory (the kernel's pcp pages are on no free list); `cached`
    /// is each block's cached migratetype (nil: the list's type, as `free_unref_page` sets it
    /// for a block of an ordinary pageblock).
    public func importPCPList(cpu: Int, order: Int, list: MigrateType, pfns: [Int], cached: [MigrateType]?) throws(ImportError) {
        guard S.Era.pcp != .none, layout.perCPUListsEnabled else { throw ImportError("the variant keeps no per-cpu lists") }
        guard cpu >= 0, cpu < pcpState.cpus else { throw ImportError("pcp cpu \(cpu): the model has \(pcpState.cpus) CPU(s)") }
        guard pcpAllowedOrder(order) else { throw ImportError("pcp list of order \(order): pcp_allowed_order() is false for it") }
        guard list.rawValue < UInt8(PerCPUPages.pcpTypes) else { throw ImportError("pcp list \(list) is not one of the PCPTYPES") }
        if let c = cached, c.count != pfns.count {
            throw ImportError("pcp cpu \(cpu) order \(order) \(list): \(c.count) cached migratetypes for \(pfns.count) pages")
        }
        let size = 1 << order
        let l = pcpState.list(pcpState.set(cpu, 0), PerCPUPages.pindex(list, order: order))
        for (k, pfn) in pfns.enumerated() {
            guard pfn & (size - 1) == 0, pfnValid(pfn), pfnValid(pfn + size - 1), zoneOf(pfn) == 0 else {
                throw ImportError("pcp block \(hex(pfn)) order \(order) is misaligned or outside the zone")
            }
            for q in pfn..<(pfn + size) where state[index(q)] != packState(.allocated, 0) {
                throw ImportError("pcp block \(hex(pfn)) order \(order) overlaps a free or pcp block at \(hex(q))")
            }
            for q in (pfn + 1)..<(pfn + size) { state[index(q)] = 0; info[index(q)] = 0 }
            let i = index(pfn)
            state[i] = packState(.pcp, order)
            info[i] = (cached?[k] ?? list).rawValue
            pcpLink(i, list: l, tail: true)
            pcpState.count[pcpState.set(cpu, 0)] &+= size
        }
    }

    /// Sets `cpu`'s set for zone 0 from the kernel's `pcpset` fields, after its lists are
    /// imported. `batch`, `high_min`, `high_max` (and 6.1's static `high`) are not taken: they
    /// are the model's own `zone_batchsize` / `zone_highsize` results (`pcpUpdateAll`), so the
    /// comparison of state 0 checks them. `count` must equal the pages imported on the lists.
    /// A field the kernel's struct lacks (a 6.7+ model against a 6.1 kernel, or the reverse)
    /// starts at 0, its value after `pageset_init`, so the two models meet the same state.
    public func importPCPSet(cpu: Int, fields f: [String: Int]) throws(ImportError) {
        guard S.Era.pcp != .none, layout.perCPUListsEnabled else { throw ImportError("the variant keeps no per-cpu lists") }
        guard cpu >= 0, cpu < pcpState.cpus else { throw ImportError("pcpset cpu \(cpu): the model has \(pcpState.cpus) CPU(s)") }
        let p = pcpState, s = p.set(cpu, 0)
        guard let count = f["count"], count == p.count[s] else {
            throw ImportError("pcpset cpu \(cpu) count=\(f["count"].map(String.init) ?? "none") but its pcp lists hold \(p.count[s]) pages")
        }
        if S.Era.pcp == .v6_7 {
            if let h = f["high"] { p.high[s] = h }
            p.freeCount[s] = f["free_count"] ?? 0
            p.allocFactor[s] = f["alloc_factor"] ?? 0
            p.flags[s] = UInt8(truncatingIfNeeded: f["flags"] ?? 0)
            p.zoneBelowHigh[0] = (f["below_high"] ?? 0) != 0
        } else {
            p.freeFactor[s] = f["free_factor"] ?? 0
        }
    }
}

extension Machine {
    /// A foreign allocation (`foreign alloc PFN ORDER TYPE` of the oracle log) with pcp lists
    /// on: the other task's `get_page_from_freelist` → `rmqueue_pcplist` on the same (only) CPU,
    /// refill included, so it is replayed through the same path (ZONE_BELOW_HIGH check,
    /// the MIN-mark check, the pcp list); `ok` when that yields exactly `pfn` (now pinned),
    /// `fail` when it yields another block or none. The other task's gfp is not logged: a
    /// request that fails the MIN check of a plain request is replayed as the slow path of a
    /// non-blocking one (ALLOC_WMARK_MIN | ALLOC_NON_BLOCK, `gfp_to_alloc_flags`), whose check
    /// counts the reserved HIGHATOMIC pages (ALLOC_RESERVES, `__zone_watermark_unusable_free`) —
    /// the kernel granted it, so it passed a check; measured: the mmu_gather batch page of an
    /// anon unmap (`tlb_next_batch`, GFP_NOWAIT) at 1,226 free non-CMA pages with 2,048 reserved
    /// (6.1 `--pcp` seed 1, command 701).
    public func foreignAllocThroughPCP(pfn: Int, order: Int, type: AllocType, compound: Bool? = nil) -> OpResult {
        guard pfnValid(pfn) else { return .einval }
        var got = allocateBlock(zone: zoneOf(pfn), order: order, type)
        if got < 0 { got = allocateBlock(zone: zoneOf(pfn), order: order, type, flags: [.nonBlock]) }
        guard got == pfn else { return .fail }
        markAllocated(pfn: pfn, order: order, AllocInfo(type: type, migratable: false, compound: compound ?? (order > 0), handled: false))
        return .ok
    }
}
