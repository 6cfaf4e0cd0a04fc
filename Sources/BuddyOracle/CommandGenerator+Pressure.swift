import BuddyCore

/// The generator's pressure stretch (`CommandGenerator.next`): large allocations under
/// pressure, the watermark-boundary probe and the squeeze toward MIN.
extension CommandGenerator {
    /// Pressure: mostly large allocations (orders max−2…max, all types), some small ones,
    /// watermark checks and frees.
    mutating func nextUnderPressure(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        // Below LOW (on the model) large requests mostly fail; small ones are then what reaches
        // the slow path, so they get a larger share there (37 % instead of 7 %).
        let belowLow = model.nrFreePages - model.nrFreeCMAPages < model.watermarkValues[1]
        let (large, check, free) = belowLow ? (50, 60, 63) : (80, 90, 93)
        let r = below(100)
        if r < large { return .alloc(order: g.maxOrder - below(3), type: AllocType.allCases[below(3)], gfp: edges ? randomGFP() : (chance(20) ? .comp : [])) }
        if r < check {
            // 1 in 5 of these a direct compaction: under pressure the largest free block is
            // small, so the scanners run (and near MIN `compaction_suitable` says skipped).
            if compaction, chance(20) { return compactionCommand(model) }
            return .watermark(mark: below(3), order: below(g.maxOrder + 1))
        }
        let live = model.liveHandles
        if r < free, !live.isEmpty { return .free(handle: live[below(live.count)]) }
        // Small requests under pressure, half of them `__GFP_HIGH` (GFP_ATOMIC without its
        // kswapd bit). Below LOW such a request misses the fast path and takes the slow path's
        // MIN check with ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK (min − min/2 − min/8), and at order
        // > 0 with ALLOC_HIGHATOMIC: it is served from, or reserves, a HIGHATOMIC pageblock
        // (`reserve_highatomic_pageblock`). Routine runs draw it only while the model keeps the
        // zone's non-CMA free pages at least `minMargin` above MIN after it: below MIN the guest's
        // own allocations would reclaim page cache beside the commands (measured: 1 of 8 runs of
        // seed 1 on 6.1 parted at command 806 when `high` could take the zone below min). The
        // probe boot now starts from the batch's state to within a few pages (the driver's
        // buffers are sized at boot), so the model's margin holds on the kernel.
        let order = chance(75) ? 1 + below(3) : 0
        let headroom = model.nrFreePages - model.nrFreeCMAPages - model.watermarkValues[0] - minMargin
        let high = edges ? chance(50) : (chance(50) && headroom >= 1 << order)
        return .alloc(order: order, type: AllocType.allCases[below(3)], gfp: high ? .high : (edges ? randomGFP() : (chance(20) ? .comp : [])))
    }

    /// The boundary probe's next command, or nil when none is active (or it gave up: the zone
    /// was already at or below the mark, an allocation failed, or it ran out of commands).
    mutating func nextAtBoundary(_ model: any KernelModel) -> OracleCommand? {
        guard var b = boundary else { return nil }
        let target = model.watermarkValues[b.mark]
        let free = model.nrFreePages - model.nrFreeCMAPages
        b.budget -= 1
        defer { boundary = b.budget > 0 && b.checks < 2 ? b : nil }
        if b.budget <= 0 { return nil }
        if free > target + 1 {
            // The largest order-k bite that keeps us above target + 1; a bite that changed
            // nothing failed (no free block of that order left): try smaller ones from then on.
            if free == b.last { b.cap -= 1 }
            guard b.cap >= 0 else { b.budget = 0; return nil }
            b.last = free
            let k = Self.largestOrder(fitting: free - target - 1, maxOrder: b.cap)
            return .alloc(order: k, type: .unmovable)
        }
        if free == target + 1 {
            if b.checks == 0 { b.checks = 1; return .watermark(mark: b.mark, order: 0) }
            return .alloc(order: 0, type: .unmovable)
        }
        if free == target, b.checks == 1 { b.checks = 2; return .watermark(mark: b.mark, order: 0) }
        b.budget = 0
        return nil
    }

    /// Squeeze: small allocations of every type (and large CMA allocations, so movable requests
    /// cannot escape into CMA), a few frees and watermark checks; no low-water pause.
    mutating func nextSqueezing(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        // The routine squeeze keeps `minMargin` non-CMA pages above MIN (below it the guest's
        // own allocations reclaim beside the commands); the --edges one goes down to MIN.
        let floor = edges ? 0 : minMargin
        // First down to near min with large bites (every type), eating the CMA area too: a
        // movable request takes CMA first while it is over half the free memory, and falls back
        // to other types' blocks (claim, or steal: 6.12's __rmqueue_steal) once CMA is gone.
        let headroom = model.nrFreePages - model.nrFreeCMAPages - model.watermarkValues[0] - floor
        if model.nrFreeCMAPages > 1024, !squeezeCMAFailed, cmaSafe(model), chance(10) {
            return .cmaAlloc(count: [1024, 512][below(2)], alignOrder: 0)
        }
        if headroom > 4096 {
            return .alloc(order: Self.largestOrder(fitting: headroom / 2, maxOrder: g.maxOrder),
                          type: AllocType.allCases[below(3)])
        }
        let r = below(100)
        // At MIN (edges) half the small requests are `__GFP_HIGH`: plain ones fail there, these
        // may take the zone to MIN − MIN/2 − MIN/8 (ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK in
        // `__zone_watermark_ok`), and with every ordinary list empty fall back to the HIGHATOMIC
        // reserve (`rmqueue_buddy`'s last resort) — the reserve arithmetic the routine run never
        // reached while it stopped above MIN.
        if r < 75, edges, headroom <= 16, chance(50) {
            return .alloc(order: below(2), type: AllocType.allCases[below(3)], gfp: .high)
        }
        if r < 75, edges || headroom >= 8 {
            return .alloc(order: edges ? below(4) : min(below(4), Self.largestOrder(fitting: headroom, maxOrder: 3)),
                          type: AllocType.allCases[below(3)])
        }
        if r < 82, model.cmaArea != nil, !squeezeCMAFailed, cmaSafe(model) { return .cmaAlloc(count: [64, 512, 1024][below(3)], alignOrder: 0) }
        if r < 92 { return .watermark(mark: below(3), order: below(g.maxOrder + 1)) }
        let live = model.liveHandles
        if !live.isEmpty { return .free(handle: live[below(live.count)]) }
        return .drain
    }

    /// The largest order k ≤ maxOrder with 2^k ≤ pages (0 when pages < 2).
    static func largestOrder(fitting pages: Int, maxOrder: Int) -> Int {
        var k = 0
        while k < maxOrder, 1 << (k + 1) <= pages { k += 1 }
        return k
    }
}
