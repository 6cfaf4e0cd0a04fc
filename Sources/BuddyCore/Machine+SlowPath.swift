/// `__alloc_pages` for a request with a gfp mask: the fast path at the LOW mark, the slow path
/// at MIN with the mask's reserves, HIGHATOMIC use and creation, kswapd wake-ups, direct
/// reclaim / compaction / OOM through the `AllocationProgress` hooks, and the retry rules
/// (`__GFP_NORETRY`, costly orders, `should_reclaim_retry`, `__GFP_NOFAIL`). Followed line by
/// line from Debian 6.1.192 `__alloc_pages_slowpath`; the reserve rules come from the variant's
/// `ReserveAccess` design (AllocationContext.swift).
///
/// Requests without a gfp mask keep the engine's older path (`allocate(zone:order:type:compound:)`:
/// one check at MIN, then the era's drain / unreserve and one retry) so every stored result
/// stays as it was. That path is *not* GFP_KERNEL under the stand-in: with no reclaim progress
/// the kernel returns from `__alloc_pages_direct_reclaim` before its unreserve and drain, and
/// its fast path at LOW may pick another zone (see variants/README.md, "a new request attribute").
///
/// Attempts the kernel repeats on an unchanged state (the `retry:` pass after the first slow
/// attempt with the same flags, the 16 `should_reclaim_retry` loops without progress) give the
/// same answer; they are not re-run (so `watermark_misjudgements` counts each distinct check once).
extension Machine {
    /// PAGE_ALLOC_COSTLY_ORDER.
    public static var costlyOrder: Int { 3 }

    /// A workload allocation with its gfp mask: a handle or -1 (counted in `alloc_failures`).
    @inlinable
    public func allocate(zone z: Int?, order: Int, type: AllocType, compound: Bool?, gfp: GFPMask) -> Int {
        stats.gfpRequests &+= 1
        let pfn = allocPages(zone: z, order: order, type, gfp: gfp)
        guard pfn >= 0 else {
            stats.allocFailures &+= 1
            if !gfp.contains(.directReclaim) { stats.nonBlockingFailures &+= 1 }
            return -1
        }
        stats.allocs &+= 1
        return markAllocated(pfn: pfn, order: order,
                             AllocInfo(type: type, migratable: type == .movable,
                                       compound: compound ?? (order > 0 || gfp.contains(.comp))))
    }

    /// `get_page_from_freelist` with `flags`: zone `z` alone, or the zonelist (with
    /// ALLOC_NOFRAGMENT first where the era has it and `flags` asks for it).
    @inlinable
    public func getPageFromFreelist(zone z: Int?, order: Int, _ type: AllocType, flags: AllocFlags) -> Int {
        if let z {
            // defrag_mode sets ALLOC_NOFRAGMENT whatever the zone; a zone-pinned request has no
            // other zone to try, so a failed pass fails (Machine+NoFragment.swift).
            guard S.Defrag.enforcesNoFragment, flags.contains(.noFragment) else {
                return allocateBlock(zone: z, order: order, type, flags: flags)
            }
            book.pointee.noFragmentPass = true
            defer { book.pointee.noFragmentPass = false }
            return allocateBlock(zone: z, order: order, type, flags: flags)
        }
        if S.Era.modelsLowmemReserve || S.Era.allocNoFragment || S.Defrag.enforcesNoFragment {
            return allocateInZonelistV6(order: order, type, noFragment: flags.contains(.noFragment), flags: flags,
                                        keepNoFragment: S.Defrag.enforcesNoFragment)
        }
        return allocateInZonelist(order: order, type, flags: flags)
    }

    /// `__alloc_pages` → `__alloc_pages_slowpath`. Returns the head pfn or -1.
    @inlinable
    public func allocPages(zone z: Int?, order: Int, _ type: AllocType, gfp: GFPMask) -> Int {
        // Fast path: ALLOC_WMARK_LOW | ALLOC_CMA (| ALLOC_NOFRAGMENT, alloc_flags_nofragment).
        var pfn = getPageFromFreelist(zone: z, order: order, type, flags: fastPathFlags(type).union(.noFragment))
        if pfn >= 0 { return pfn }

        var flags = gfpToAllocFlags(gfp, order: order, type)
        // gfp_to_alloc_flags (v6.15): "if (defrag_mode) alloc_flags |= ALLOC_NOFRAGMENT;"
        if S.Defrag.enforcesNoFragment { flags.insert(.noFragment) }
        let canReclaim = gfp.contains(.directReclaim)
        // gfp_compaction_allowed: CONFIG_COMPACTION && __GFP_IO.
        let canCompact = gfp.contains(.io)
        let costly = order > Self.costlyOrder
        // restart: wake_all_kswapds, then the first attempt at MIN with the mask's reserves.
        if flags.contains(.kswapd) { wakeKswapds(order: order, zone: z) }
        pfn = getPageFromFreelist(zone: z, order: order, type, flags: flags)
        if pfn >= 0 { return pfn }
        var compact = CompactResult.skipped
        if canReclaim, canCompact, costly || (order > 0 && type != .movable), pfmemallocFlags(gfp).isEmpty {
            compact = S.Progress.directCompact(self, order: order, zone: z, type, gfp: gfp)
            if compact != .skipped {
                pfn = compactedPage(zone: z, order: order, type, flags: flags)   // Compaction/
                if pfn >= 0 { return pfn }
            }
            if costly, gfp.contains(.noretry), compact == .skipped || compact == .deferred { return noPage(z, order, type, gfp) }
        }

        var noProgressLoops = 0
        var changed = false          // whether the state or flags changed since the last failed attempt
        while true {
            // retry: (kswapd is already awake: wake_all_kswapds again is not counted)
            let reserve = pfmemallocFlags(gfp)
            if !reserve.isEmpty {
                let next = reserve.union(flags.intersection([.kswapd, .cma]))
                if next != flags { flags = next; changed = true }
            }
            if changed {
                pfn = getPageFromFreelist(zone: z, order: order, type, flags: flags)
                if pfn >= 0 { return pfn }
                changed = false
            }
            guard canReclaim else { return noPage(z, order, type, gfp) }
            // __alloc_pages_direct_reclaim: without progress it returns before its unreserve + drain.
            let reclaimed = S.Progress.directReclaim(self, order: order, zone: z, type, gfp: gfp)
            if reclaimed > 0 {
                pfn = getPageFromFreelist(zone: z, order: order, type, flags: flags)
                if pfn < 0 {
                    unreserveHighatomicPageblock(zone: z, type, force: false)
                    if S.Era.pcp != .none { drainAllPages(zone: nil) }
                    pfn = getPageFromFreelist(zone: z, order: order, type, flags: flags)
                }
                if pfn >= 0 { return pfn }
            }
            // __alloc_pages_direct_compact returns at once for order 0; try_to_compact_pages
            // is COMPACT_SKIPPED without __GFP_IO.
            compact = order > 0 && canCompact ? S.Progress.directCompact(self, order: order, zone: z, type, gfp: gfp) : .skipped
            if compact != .skipped {
                pfn = compactedPage(zone: z, order: order, type, flags: flags)
                if pfn >= 0 { return pfn }
            }
            if gfp.contains(.noretry) { return noPage(z, order, type, gfp) }
            if costly && (!canCompact || !gfp.contains(.retryMayfail)) { return noPage(z, order, type, gfp) }
            // should_reclaim_retry (6.1.192): loops without progress up to MAX_RECLAIM_RETRIES
            // while some zone passes MIN on free + reclaimable pages; otherwise, before OOM,
            // unreserve_highatomic_pageblock(ac, true) and retry if that released a block.
            if reclaimed > 0 && order <= Self.costlyOrder { noProgressLoops = 0 } else { noProgressLoops += 1 }
            let retryable = noProgressLoops <= Self.maxReclaimRetries && reclaimRetryWatermarkOK(zone: z, order: order, type, flags: flags)
            if retryable {
                if reclaimed > 0 { changed = true; continue }
                // Identical loops until the count runs out (nothing changes without progress).
                noProgressLoops = Self.maxReclaimRetries
                continue
            }
            if unreserveHighatomicPageblock(zone: z, type, force: true) { changed = true; continue }
            // should_compact_retry runs only after reclaim progress and needs a compaction model:
            // not modelled (the stand-in never makes progress).
            // v6.15 defrag_mode (e3aa7df331bc + 7a95a05f15d5): "Reclaim/compaction failed to
            // prevent the fallback": clear ALLOC_NOFRAGMENT once and retry, before OOM. The
            // __GFP_NORETRY, costly-order and !can_direct_reclaim exits above come first and
            // fail with the flag still set.
            if S.Defrag.enforcesNoFragment, flags.contains(.noFragment) {
                flags.remove(.noFragment); changed = true; continue
            }
            // Then __alloc_pages_may_oom.
            if !costly, !gfp.contains(.retryMayfail), S.Progress.outOfMemory(self, order: order, gfp: gfp) {
                noProgressLoops = 0; changed = true; continue
            }
            return noPage(z, order, type, gfp)
        }
    }

    /// MAX_RECLAIM_RETRIES (mm/internal.h).
    public static var maxReclaimRetries: Int { 16 }

    /// `should_reclaim_retry`'s per-zone test: `__zone_watermark_ok(zone, order, min, …,
    /// alloc_flags, reclaimable + NR_FREE_PAGES)`; reclaimable pages are the reclaim stand-in's
    /// LRU pages of the zone (0 in runs without `reclaim:`).
    @inlinable
    func reclaimRetryWatermarkOK(zone z: Int?, order: Int, _ type: AllocType, flags: AllocFlags) -> Bool {
        let movable = type == .movable
        let top = z ?? zonelistHighest(movable: movable)
        guard top >= 0 else { return false }
        for zz in stride(from: top, through: z ?? 0, by: -1) where movable || !zone[zz].isMovableZone {
            let reserve = z == nil && S.Era.modelsLowmemReserve ? lowmemReserve(zone: zz, classzone: top) : 0
            if watermarkOK(zone: zz, order: order, mark: zone[zz].wmarkMin, allocCMA: flags.contains(.cma),
                           safe: false, flags: flags, reserve: reserve,
                           plusReclaimable: reclaimablePages(zone: zz)) { return true }
        }
        return false
    }

    /// `nopage:` — `__GFP_NOFAIL` (never with a non-blocking mask: the kernel WARNs and fails)
    /// gets one `__alloc_pages_cpuset_fallback` with ALLOC_MIN_RESERVE (ALLOC_HARDER ≤ v6.2);
    /// if that fails the kernel loops forever, which the engine records as a fault and fails.
    @usableFromInline
    func noPage(_ z: Int?, _ order: Int, _ type: AllocType, _ gfp: GFPMask) -> Int {
        guard gfp.contains(.nofail), gfp.contains(.directReclaim) else { return -1 }
        var f: AllocFlags = S.Reserves.rules == .minReserve ? [.minReserve] : [.harder]
        if type == .movable { f.insert(.cma) }
        let pfn = getPageFromFreelist(zone: z, order: order, type, flags: f)
        if pfn < 0 {
            recordFault("nofail-no-progress", pfn: -1,
                        "__GFP_NOFAIL order-\(order) \(type.name) request: no page and no reclaim/compaction/OOM progress; the kernel would loop in __alloc_pages_slowpath")
        }
        return pfn
    }

    /// `wake_all_kswapds`: one node, one wake-up per slow-path entry (`kswapd_wakeups`).
    @inlinable
    func wakeKswapds(order: Int, zone z: Int?) {
        stats.kswapdWakeups &+= 1
        // v6.15 defrag_mode kswapd/kcompactd assistance: reclaim_order = max(order, pageblock_order).
        let reclaimOrder = S.Defrag.kswapdWakesAtPageblockOrder ? max(order, geometry.pageblockOrder) : order
        S.Progress.wakeKswapd(self, order: reclaimOrder, zone: z)
    }
}
