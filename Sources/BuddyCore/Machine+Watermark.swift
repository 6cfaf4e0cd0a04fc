/// Watermarks: `__zone_watermark_ok` per era, the `_safe` variant kswapd uses, and the
/// `min_free_kbytes` formula that sets them.
extension Machine {
    /// `init_per_zone_wmark_min()` + `__setup_per_zone_wmarks()`:
    /// `min_free_kbytes = int_sqrt(lowmem_kbytes * 16)` clamped to [128, cap] (cap 65536, 262144
    /// from v5.7: `KernelEra.minFreeKbytesCap`); each zone gets its share `tmp` in proportion to
    /// its managed pages. The gap min→low→high is `tmp/4` before v4.6 (low = min·5/4, high =
    /// min·3/2) and `max(tmp/4, managed·watermark_scale_factor/10000)` from v4.6 (795ae7a0de6b,
    /// `mult_frac`). `lowmem_reserve` is 0 except in the v6.x eras (Machine+LowmemReserve.swift). Re-run after
    /// (off|on)lining, as `online_pages`/`offline_pages` call `init_per_zone_wmark_min()`.
    /// - Parameter hotplug: a re-run after (off|on)lining. `calculate_min_free_kbytes()` sizes
    ///   `lowmem_kbytes` by `nr_free_buffer_pages()`: Σ over the zones up to ZONE_NORMAL of
    ///   managed − `high_wmark_pages()` (when positive). At boot every mark is still 0, so that is
    ///   the managed total; after hotplug the old high marks are subtracted (measured on the
    ///   x86_64 oracle, 6.1.192: DMA32's min 332 after offlining a block, 333 without this).
    public func recomputeWatermarks(hotplug: Bool = false) {
        let managed = (0..<zoneCount).reduce(0) { $0 + zone[$1].managedPages }
        let buffer = !hotplug ? managed : (0..<zoneCount).reduce(0) {
            zone[$1].isMovableZone ? $0 : $0 + max(zone[$1].managedPages - zone[$1].wmarkHigh, 0)
        }
        let kbytes = buffer << (geometry.pageShift - 10)
        let minFreeKbytes = min(max(Self.intSqrt(kbytes * 16), 128), S.Era.minFreeKbytesCap)
        let pagesMin = minFreeKbytes >> (geometry.pageShift - 10)
        // lowmem_pages: every zone, or (KernelEra.watermarkMinCapsMovable) all but Movable.
        let capMovable = S.Era.watermarkMinCapsMovable
        let lowmem = !capMovable ? managed : (0..<zoneCount).reduce(0) { zone[$1].isMovableZone ? $0 : $0 + zone[$1].managedPages }
        for z in 0..<zoneCount {
            let share = lowmem == 0 ? 0 : pagesMin * zone[z].managedPages / lowmem
            // A capped zone's min: clamp(managed / 1024, SWAP_CLUSTER_MAX, 128).
            let m = capMovable && zone[z].isMovableZone ? min(max(zone[z].managedPages / 1024, 32), 128) : share
            zone[z].wmarkMin = m
            if let factor = S.Era.watermarkScaleFactor {
                // mult_frac(x, n, d) = (x / d) * n + ((x % d) * n) / d; the gap from the uncapped share.
                let zm = zone[z].managedPages
                let gap = max(share >> 2, (zm / 10000) * factor + ((zm % 10000) * factor) / 10000)
                zone[z].wmarkLow = m + gap
                zone[z].wmarkHigh = m + gap * 2
            } else {
                zone[z].wmarkLow = m + (m >> 2)
                zone[z].wmarkHigh = m + (m >> 1)
            }
        }
        pcpUpdateAll()   // setup_per_zone_wmarks → zone_pcp_update (v5.14+)
        setupPerZoneLowmemReserve()   // init_per_zone_wmark_min (v6.x eras; Machine+LowmemReserve.swift)
    }

    /// `int_sqrt()` (lib/math/int_sqrt.c): floor of the square root, integers only.
    public static func intSqrt(_ x: Int) -> Int {
        guard x > 1 else { return max(x, 0) }
        var lo = 1, hi = min(x, 3_037_000_499)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if mid * mid <= x { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// `__zone_watermark_ok()` of the era on given inputs. `nrFreeAt(o)` is `nr_free[o]` and
    /// `listNonEmpty(o, mt)` tells whether `free_list[mt]` of order `o` has a block.
    @inlinable
    func watermarkFormula(order: Int, mark: Int, freePages: Int, freeCMA: Int, allocCMA: Bool, highatomicLists: Bool = false,
                          nrFreeAt: (Int) -> Int, listNonEmpty: (Int, MigrateType) -> Bool) -> Bool {
        var free = freePages &- ((1 &<< order) &- 1)
        var minMark = mark
        switch S.Era.watermark {
        case .e2012:
            if free <= minMark { return false }
            var o = 0
            while o < order {
                free &-= nrFreeAt(o) &<< o
                minMark >>= 1
                if free <= minMark { return false }
                o &+= 1
            }
            return true
        case .v4_4:
            if !allocCMA { free &-= freeCMA }
            if free <= minMark { return false }
            if order == 0 { return true }
            for o in order...geometry.maxOrder where nrFreeAt(o) != 0 {
                if listNonEmpty(o, .unmovable) || listNonEmpty(o, .movable) || listNonEmpty(o, .reclaimable) {
                    return true
                }
                if allocCMA && listNonEmpty(o, .cma) { return true }
                if highatomicLists && listNonEmpty(o, .highatomic) { return true }
            }
            return false
        }
    }

    /// The check as the kernel makes it (counter-based), plus the same check on the truth; a
    /// counter "ok" where the truth says "not ok" is a watermark misjudgement (a metric).
    /// `safe`: `zone_watermark_ok_safe` (kswapd), where design D subtracts isolated blocks.
    /// The counters are read through `zone_page_state()`, which clamps a negative value to 0 on
    /// SMP: a design that drove NR_FREE_PAGES below zero is judged on 0, not on the negative.
    /// `flags`: the request's reserve flags (AllocationContext.swift) — the `min -= …`
    /// arithmetic, the HIGHATOMIC term and lists; empty for the requests without a gfp mask and
    /// for kswapd, which check the plain mark.
    @inlinable
    public func watermarkOK(zone z: Int, order: Int, mark: Int, allocCMA: Bool, safe: Bool,
                            flags: AllocFlags = [], reserve: Int = 0, plusReclaimable: Int = 0) -> Bool {
        // `plusReclaimable`: should_reclaim_retry passes NR_FREE_PAGES + zone_reclaimable_pages.
        var counterFree = zonePageState(zone[z].nrFreePages) &+ plusReclaimable
        if safe && S.Accounting.safeWatermarkSubtractsIsolatedBlocks {
            counterFree &-= zone[z].nrPageblockIsolate &* geometry.pageblockPages
        }
        // v4.4+ __zone_watermark_unusable_free: HIGHATOMIC reserves (Machine+HighAtomic.swift).
        var truthFree = zone[z].allocatableFree &+ plusReclaimable
        if zone[z].nrReservedHighatomic != 0, !skipsHighatomicTerm(flags) {
            counterFree &-= highatomicUnusable(zone: z)
            truthFree &-= truthFreeHighatomic(zone: z)
        }
        let base = z &* orders
        // `free_pages <= min + lowmem_reserve`: only `min` is reduced, never the reserve.
        let mark = (flags.isEmpty ? mark : reducedMin(mark, flags)) &+ reserve
        let highatomicLists = S.Era.watermark == .v4_4 && !flags.isEmpty
            && (usesHighatomicLists(flags, order: order) || flags.contains(.oom))
        let said = watermarkFormula(
            order: order, mark: mark, freePages: counterFree, freeCMA: zonePageState(zone[z].nrFreeCMAPages),
            allocCMA: allocCMA, highatomicLists: highatomicLists, nrFreeAt: { self.nrFree[base &+ $0] },
            listNonEmpty: { self.listCount[self.listIndex(z, $0, $1)] != 0 })
        stats.watermarkChecks &+= 1
        if said {
            let needsCMA = S.Era.watermark == .v4_4 && !allocCMA
            let truth = watermarkFormula(
                order: order, mark: mark, freePages: truthFree,
                freeCMA: needsCMA ? truthFreeCMA(zone: z) : 0, allocCMA: allocCMA, highatomicLists: highatomicLists,
                nrFreeAt: { self.trueBlocks(zone: z, order: $0) },
                listNonEmpty: { self.listCount[self.listIndex(z, $0, $1)] != 0 })
            if !truth { stats.watermarkMisjudgements &+= 1 }
        }
        return said
    }

    /// `zone_watermark_ok_safe(zone, order, mark, …)`, the balance check kswapd makes: it passes
    /// alloc_flags 0, so there is no ALLOC_CMA and the v4.4+ check subtracts free CMA pages and
    /// ignores the CMA lists (mm/page_alloc.c, v4.4–v6.x); the E2012 loop has no CMA term.
    public func kswapdWatermarkOK(zone z: Int, order: Int, mark: Int) -> Bool {
        watermarkOK(zone: z, order: order, mark: mark, allocCMA: false, safe: true)
    }

    /// `zone_page_state()`: the vmstat counter as the kernel reads it, clamped at 0 (CONFIG_SMP).
    @inlinable @inline(__always)
    public func zonePageState(_ counter: Int) -> Int { counter < 0 ? 0 : counter }

    /// Truth: free blocks of `order` on non-ISOLATE lists.
    @inlinable
    public func trueBlocks(zone z: Int, order: Int) -> Int {
        var n = 0
        for mt in 0..<MigrateType.count where mt != Int(MigrateType.isolate.rawValue) {
            n &+= listCount[(z &* orders &+ order) &* MigrateType.count &+ mt]
        }
        return n
    }

    /// Truth: pages on CMA free lists.
    @inlinable
    public func truthFreeCMA(zone z: Int) -> Int {
        var n = 0
        for o in 0...geometry.maxOrder { n &+= listCount[listIndex(z, o, .cma)] &<< o }
        return n
    }

    /// Named mark of a zone.
    public func mark(_ name: String, zone z: Int) -> Int? {
        switch name {
        case "min": zone[z].wmarkMin
        case "low": zone[z].wmarkLow
        case "high": zone[z].wmarkHigh
        default: nil
        }
    }
}
