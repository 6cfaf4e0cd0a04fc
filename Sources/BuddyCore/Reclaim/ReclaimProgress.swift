/// The slow path's `AllocationProgress` with a reclaim design `R`: direct reclaim and kswapd go
/// to `R`; the OOM killer stays as `NoReclaimProgress` has it (no progress). Direct compaction is
/// `DirectCompaction`'s, which wraps this type (Strategies.swift), and kswapd wakes kcompactd.
///
/// Identical to `NoReclaimProgress` in every run without `reclaim:` (the stand-in is inactive:
/// direct reclaim returns 0, kswapd is only counted), so every stored result stays as it was.
public enum ReclaimProgress<R: ReclaimModel>: AllocationProgress {
    public static var id: String { "reclaim-" + R.id }

    public static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> Int {
        R.directReclaim(m, order: order, gfp: gfp)
    }
    public static func directCompact<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> CompactResult {
        NoReclaimProgress.directCompact(m, order: order, zone: zone, type, gfp: gfp)
    }
    public static func outOfMemory<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Bool {
        NoReclaimProgress.outOfMemory(m, order: order, gfp: gfp)
    }
    public static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?) {
        R.wakeKswapd(m, order: order, highestZone: zone ?? m.zonelistHighest(movable: true))
    }
    /// kswapd going to sleep after balancing for a high order wakes kcompactd
    /// (`kswapd_try_to_sleep` → `wakeup_kcompactd`); the woken kcompactd runs at once
    /// (`kcompactd_do_work`, Compaction/Machine+Kcompactd.swift) when the run has the compaction
    /// model on, which every run with `reclaim:` has (`Program.usesCompaction`).
    public static func wakeupKcompactd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int) {
        guard m.compactionEnabled, m.wakeupKcompactd(order: order, highestZone: highestZone) else { return }
        m.kcompactdRun()
    }
    public static func afterEvent<S: StrategySet>(_ m: Machine<S>) {
        guard m.reclaim.kswapdAwake else { return }
        if let order = R.kswapdRun(m) {
            m.reclaim.kcompactdWakeRequests &+= 1
            wakeupKcompactd(m, order: order, highestZone: m.reclaim.kswapdHighestZone)
        }
    }
}

/// The default progress of every variant: the LRU stand-in (inactive without `reclaim:`).
public typealias DefaultAllocationProgress = ReclaimProgress<LRUStandIn>
