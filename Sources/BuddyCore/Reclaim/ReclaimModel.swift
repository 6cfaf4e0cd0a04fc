/// A reclaim design: what kswapd and direct reclaim take back and when kswapd sleeps. One type
/// per design; `ReclaimProgress<R>` plugs it into the slow path's `AllocationProgress` hooks, so
/// a closer model (an active/inactive LRU, shrinkers, dirty pages) replaces `LRUStandIn` by
/// replacing a type parameter.
public protocol ReclaimModel: Sendable {
    static var id: String { get }
    /// `wakeup_kswapd(zone, gfp, order, highest_zoneidx)`.
    static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int)
    /// kswapd's work between two events while awake. Returns the order to pass to
    /// `wakeup_kcompactd` when kswapd went to sleep after balancing for order > 0, else nil.
    static func kswapdRun<S: StrategySet>(_ m: Machine<S>) -> Int?
    /// `try_to_free_pages` from `__perform_reclaim`: pages reclaimed.
    static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Int
}

/// The stand-in of issue 23 — not the kernel's LRU. What it models (docs/reclaim.md):
/// - one node-wide LRU per type, in allocation order (oldest first): page cache, then anon,
///   anon only with swap; every scanned page is clean and unreferenced, so it is freed at once
///   (pgscan = pgsteal), whole allocations at a time (a THP or large folio at once);
/// - kswapd woken from the slow path (`wake_all_kswapds`) unless the node is already balanced
///   at the request's order; it reclaims `kswapd_pages_per_event` pages per event (on average:
///   a larger victim is paid by the next events' share) after each event until
///   `pgdat_balanced` at its order — after `compact_gap(order)` = 2^(order+1) pages at order 0,
///   as `kswapd_shrink_node` lowers `sc->order` — then sleeps and, for order > 0, asks for
///   kcompactd (`kswapd_try_to_sleep` → `wakeup_kcompactd`); with nothing left to reclaim it
///   sleeps at once (a `kswapd_failures` run);
/// - direct reclaim: SWAP_CLUSTER_MAX pages per round (`try_to_free_pages`' nr_to_reclaim),
///   `allocstall_movable` for masks with __GFP_MOVABLE (gfp_zone = ZONE_MOVABLE), else
///   `allocstall_normal`; the slow path's retry bound (MAX_RECLAIM_RETRIES) is the engine's.
/// Not modelled: active/inactive lists and referenced bits, swappiness (file strictly first),
/// dirty/writeback pages, shrinkers (reclaimable slab is freed only by its lifetime),
/// per-zone LRU scans (`reclaim_idx`), memcg, watermark boosting, the hopeless-node gate
/// (`kswapd_failures ≥ MAX_RECLAIM_RETRIES`), and kcompactd woken for non-blocking masks.
public enum LRUStandIn: ReclaimModel {
    public static let id = "lru-stand-in"

    public static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int) {
        guard m.reclaim.active else { return }
        if m.reclaim.kswapdAwake {
            // A running kswapd takes the larger order and zone (kswapd_order, kswapd_highest_zoneidx).
            m.reclaim.kswapdOrder = max(m.reclaim.kswapdOrder, order)
            m.reclaim.kswapdHighestZone = max(m.reclaim.kswapdHighestZone, highestZone)
            return
        }
        if m.pgdatBalanced(order: order, highestZone: highestZone) { return }
        m.reclaim.kswapdAwake = true
        m.reclaim.kswapdOrder = order
        m.reclaim.kswapdHighestZone = highestZone
        m.reclaim.kswapdReclaimedThisRun = 0
        m.reclaim.kswapdCredit = 0
        m.reclaim.pageoutrun &+= 1
    }

    public static func kswapdRun<S: StrategySet>(_ m: Machine<S>) -> Int? {
        // A credit of pages per event, carried over: a victim larger than what is left of this
        // event's share (a THP, an order-1 folio) is paid by the next events, so kswapd's
        // average speed is exactly `kswapd_pages_per_event` whatever the victims' sizes.
        m.reclaim.kswapdCredit &+= m.reclaim.config.kswapdPagesPerEvent
        while true {
            let order = m.reclaim.kswapdOrder
            // kswapd_shrink_node: once compact_gap(order) pages are reclaimed, balance at order 0.
            let atOrder = order > 0 && m.reclaim.kswapdReclaimedThisRun >= 2 << order ? 0 : order
            if m.pgdatBalanced(order: atOrder, highestZone: m.reclaim.kswapdHighestZone) { return sleep(m) }
            if m.reclaim.kswapdCredit <= 0 { return nil }
            let got = m.reclaimOldest()
            if got == 0 { return sleep(m) }
            m.reclaim.kswapdCredit &-= got
            m.reclaim.kswapdReclaimedThisRun &+= got
            m.reclaim.pgscanKswapd &+= got
            m.reclaim.pgstealKswapd &+= got
        }
    }

    static func sleep<S: StrategySet>(_ m: Machine<S>) -> Int? {
        m.reclaim.kswapdAwake = false
        let order = m.reclaim.kswapdOrder
        return order > 0 ? order : nil
    }

    public static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Int {
        guard m.reclaim.active else { return 0 }
        if gfp.contains(.movable) { m.reclaim.allocstallMovable &+= 1 } else { m.reclaim.allocstallNormal &+= 1 }
        var reclaimed = 0
        while reclaimed < ReclaimConfig.swapClusterMax {
            let got = m.reclaimOldest()
            if got == 0 { break }
            reclaimed += got
        }
        m.reclaim.pgscanDirect &+= reclaimed
        m.reclaim.pgstealDirect &+= reclaimed
        return reclaimed
    }
}
