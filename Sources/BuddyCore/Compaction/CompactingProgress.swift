/// Direct compaction in the slow path (`__alloc_pages_direct_compact` → `try_to_compact_pages`),
/// composed over another `AllocationProgress` that keeps reclaim, OOM and kswapd: a variant
/// gets compaction with `Progress = DirectCompaction<NoReclaimProgress>` (or over the aging
/// model's reclaim type). Until a run turns the model on (`Machine.compactionEnabled`, set by a
/// program with a `compact` op), it answers exactly as `Base` does, so stored results of
/// experiments without compaction do not move.
///
/// Priority: every slow-path call is COMPACT_PRIO_ASYNC (INIT/DEF_COMPACT_PRIORITY); the
/// escalation to SYNC_LIGHT / SYNC_FULL happens in `should_compact_retry`, which runs only after
/// reclaim progress (not modelled by the stand-in slow path). The page comes back through
/// `Machine.takeCapturedPage()` (capture) or the free lists (the slow path tries them), and
/// `Machine.directCompactOutcome` counts `compact_success` / `compact_fail`.
public enum DirectCompaction<Base: AllocationProgress>: AllocationProgress {
    public static var id: String { "direct-compaction+" + Base.id }
    public static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> Int {
        Base.directReclaim(m, order: order, zone: zone, type, gfp: gfp)
    }
    public static func directCompact<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> CompactResult {
        guard m.compactionEnabled else { return Base.directCompact(m, order: order, zone: zone, type, gfp: gfp) }
        let run = m.tryToCompactPages(order: order, zone: zone, type, priority: .async,
                                      flags: m.gfpToAllocFlags(gfp, order: order, type), capture: true)
        switch run.status {
        case .skipped, .notSuitableZone: return .skipped
        case .deferred: return .deferred
        case .success: return .success
        default: return .failed
        }
    }
    public static func outOfMemory<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Bool {
        Base.outOfMemory(m, order: order, gfp: gfp)
    }
    public static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?) {
        Base.wakeKswapd(m, order: order, zone: zone)
    }
    public static func afterEvent<S: StrategySet>(_ m: Machine<S>) {
        Base.afterEvent(m)
    }
    public static func wakeupKcompactd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int) {
        Base.wakeupKcompactd(m, order: order, highestZone: highestZone)
    }
}

extension Machine {
    /// Whether this run uses the compaction model (Compaction/CompactionState.swift).
    public var compactionEnabled: Bool {
        get { book.pointee.compaction.enabled }
        set { book.pointee.compaction.enabled = newValue; if newValue { compactionSetUp() } }
    }
}

extension Machine {
    /// The page `__alloc_pages_direct_compact` returns after `try_to_compact_pages` did not
    /// skip: the captured page, else `get_page_from_freelist`; then its bookkeeping.
    @usableFromInline
    func compactedPage(zone z: Int?, order: Int, _ type: AllocType, flags: AllocFlags) -> Int {
        var pfn = takeCapturedPage()
        if pfn < 0 { pfn = getPageFromFreelist(zone: z, order: order, type, flags: flags) }
        directCompactOutcome(page: pfn, order: order)
        return pfn
    }
}
