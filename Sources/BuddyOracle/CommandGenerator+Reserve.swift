import BuddyCore

/// The highatomic cycle: the opening of the second normal stretch of each cycle (edges), a
/// directed walk through the reserve arithmetic that random requests never reached (seed 1 ×
/// 2,000 on 6.1: the zone never went below MIN, so `min -= min/2` and the HIGHATOMIC last
/// resort were never decided). Commands are chosen against the model, which drifts from the
/// kernel by tens of pages (anon faults and the guest's own pages are predicted, not known), so
/// every target is the middle of a window, never an edge.
///
/// 1. `bite`: unmovable allocations (never CMA: each lowers the non-CMA free count by exactly
///    its size) bring the zone into the window of an order-K `__GFP_HIGH` request, K ≤ the
///    largest order with a free block on an ordinary list: above `floor + 2^K` (`floor`: MIN
///    after ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, `__zone_watermark_ok`'s v6.3 rules in both
///    Debian trees: min − min/2, then − a quarter of that) so the slow path passes, and below
///    `low + 2^K` so the fast path's LOW check fails.
/// 2. `reserve`: `alloc K unmovable high` — its success with ALLOC_HIGHATOMIC reserves its
///    pageblock (`reserve_highatomic_pageblock`; 6.12.118 types every pageblock of an order ≥
///    pageblock_order request, `change_pageblock_range`); `release` frees it at once, so the
///    HIGHATOMIC lists hold its pages.
/// 3. `drain`: plain unmovable and reclaimable requests take every page off the ordinary lists.
///    Their watermark counts the HIGHATOMIC pages (ALLOC_NON_BLOCK is in ALLOC_RESERVES), so
///    they pass MIN while the reserve holds it up; the fallback takes the last small blocks of
///    movable blocks (`can_steal_fallback` for an UNMOVABLE request below pageblock_order/2).
/// 4. `lastResort`: order-0 plain unmovable requests with the ordinary lists empty: served
///    from HIGHATOMIC by `rmqueue_buddy`'s last resort (ALLOC_NON_BLOCK, v6.3+).
/// 5. `deep`: `__GFP_HIGH` requests (HIGHATOMIC first at order > 0; every third one order 0)
///    down to `floor + 1`, then order-0 ones past it (`edge`): the kernel's count is within
///    tens of pages of the model's, so these cross `__zone_watermark_ok`'s `free_pages <= min`
///    edge under the reserve arithmetic on the kernel too.
/// The zone sits below MIN for the cycle's last commands only; the normal stretch's frees
/// bring it back up.
struct ReserveCycle {
    enum Stage { case prebite, raise, bite, reserve, release, drain, lastResort, deep, edge, done }
    var stage: Stage = .prebite
    /// K: the reserving request's order.
    var order: Int
    /// The largest bite still worth trying (lowered when a bite changed nothing: it failed).
    var cap: Int
    /// The free count when the previous bite was chosen.
    var last = -1
    var budget = 400
    var count = 0
}

extension CommandGenerator {
    /// MIN for a non-blocking `__GFP_HIGH` request (`__zone_watermark_ok`, v6.3+ rules).
    static func atomicFloor(_ min: Int) -> Int {
        var m = min
        m -= m / 2
        m -= m / 4
        return m
    }

    /// The cycle's next command, or nil when none is active or it has finished.
    mutating func nextInReserveCycle(_ model: any KernelModel) -> OracleCommand? {
        guard var r = reserveCycle else { return nil }
        defer { reserveCycle = r.stage == .done || r.budget <= 0 ? nil : r }
        r.budget -= 1
        if r.budget <= 0 { return nil }
        let g = model.geometry
        let free = model.nrFreePages - model.nrFreeCMAPages
        let floor = Self.atomicFloor(model.watermarkValues[0])
        let ordinary = free - model.freeHighatomicPages
        let low = model.watermarkValues[1], reserved = model.nrReservedHighatomic
        // Where an order-k unmovable `__GFP_HIGH` request reserves: its slow path passes
        // (free − 2^k + 1 > floor) and its fast path failed (LOW, with the reserved
        // HIGHATOMIC pages unusable to it: `__zone_watermark_unusable_free`), 32 pages inside.
        func window(_ k: Int) -> ClosedRange<Int> {
            (floor + (1 << k) + 32)...max(floor + (1 << k) + 32, low + (1 << k) - 33 + reserved)
        }
        while true {
            switch r.stage {
            case .prebite:
                // With a live max-order allocation in an ordinary block, bring the zone to where
                // freeing it puts the count in the max-order window (plain bites stop above MIN).
                let w = window(g.maxOrder)
                let target = max((w.lowerBound + w.upperBound) / 2 - (1 << g.maxOrder), model.watermarkValues[0] + 40)
                if model.maxOrderAllocHandles.isEmpty || target + (1 << g.maxOrder) > w.upperBound || free < target {
                    r.stage = .bite; continue
                }
                if free == r.last { r.cap -= 1 }
                if free == target || r.cap < 0 { r.stage = .raise; r.last = -1; r.cap = g.maxOrder; continue }
                r.last = free
                return .alloc(order: Self.largestOrder(fitting: free - target, maxOrder: min(r.cap, g.maxOrder - 1)), type: .unmovable)
            case .raise:
                r.stage = .bite
                let hs = model.maxOrderAllocHandles
                if hs.isEmpty { continue }
                return .free(handle: hs[below(hs.count)])
            case .bite:
                let largest = min(model.largestFreeOrdinaryOrder, g.maxOrder)
                if largest < 1 { r.stage = .drain; r.cap = 3; r.last = -1; continue }
                if let k = stride(from: largest, through: 1, by: -1).first(where: { window($0).contains(free) }) {
                    r.order = k; r.stage = .reserve
                    continue
                }
                let w = window(largest)
                if free < w.lowerBound { r.stage = .drain; r.cap = 3; r.last = -1; continue }
                if free == r.last { r.cap -= 1 }
                if r.cap < 0 { r.stage = .drain; r.cap = 3; r.last = -1; continue }
                r.last = free
                let mid = (w.lowerBound + w.upperBound) / 2
                // Far above, bites of any order; near, below K so the block K needs is not the
                // one a bite takes.
                let near = free - mid < 4 << largest
                return .alloc(order: min(Self.largestOrder(fitting: free - mid, maxOrder: g.maxOrder), r.cap, near ? max(largest - 1, 0) : g.maxOrder),
                              type: .unmovable)
            case .reserve:
                r.stage = .release
                return .alloc(order: r.order, type: .unmovable, gfp: .high)
            case .release:
                r.stage = .drain; r.cap = g.pageblockOrder; r.last = -1
                if lastResult?.status == "ok", let h = lastResult?.handle { return .free(handle: h) }
                continue
            case .drain:
                if ordinary <= 0 { r.stage = .lastResort; r.count = 0; continue }
                // A quarter of the bites that landed go straight back: freed into a block a
                // steal left its other free pages on the requester's list from (6.1's
                // `steal_suitable_fallback` moves them without claiming), so the next steal from
                // that block meets pages already on the target list (`move_to_free_list`'s
                // `list_move_tail`).
                if free < r.last, lastResult?.status == "ok", let h = lastResult?.handle, chance(25) {
                    r.last = -1
                    return .free(handle: h)
                }
                if free == r.last { r.cap -= 1 }
                if r.cap < 0 { r.stage = .deep; r.cap = g.pageblockOrder; r.last = -1; r.count = 0; continue }
                r.last = free
                return .alloc(order: Self.largestOrder(fitting: ordinary, maxOrder: r.cap),
                              type: chance(50) ? .unmovable : .reclaimable)
            case .lastResort:
                if r.count >= 4 || free <= model.watermarkValues[0] + 1 { r.stage = .deep; r.cap = g.pageblockOrder; r.last = -1; r.count = 0; continue }
                r.count += 1
                return .alloc(order: 0, type: .unmovable)
            case .deep:
                if free <= floor + 1 { r.stage = .edge; r.count = 0; continue }
                if free == r.last, r.count % 3 != 0 { r.cap -= 1 }
                if r.cap < 0 { r.stage = .done; continue }
                r.last = free
                r.count += 1
                let k = r.count % 3 == 0 ? 0 : Self.largestOrder(fitting: free - floor - 1, maxOrder: r.cap)
                return .alloc(order: k, type: .unmovable, gfp: .high)
            case .edge:
                // On the model, at floor + 1 the first succeeds (free_pages > min) and the rest
                // meet free_pages == min and fail; on the kernel they end where its count does.
                if r.count >= 6 { r.stage = .done; continue }
                r.count += 1
                return .alloc(order: 0, type: .unmovable, gfp: .high)
            case .done:
                return nil
            }
        }
    }
}
