/// Where the allocator's slow path would reclaim, compact, wake kswapd or kill: the hooks the
/// reclaim / compaction / kswapd issues fill in, and the documented stand-in used until then.
///
/// The slow path (Machine+SlowPath.swift) calls every hook at the point the kernel calls the
/// real function (Debian 6.1.192 `__alloc_pages_slowpath`), so nothing is silently skipped: what
/// a hook reports decides the path exactly as `did_some_progress` / `compact_result` do there.

/// `enum compact_result` as far as the slow path reads it.
public enum CompactResult: Sendable, Equatable {
    /// COMPACT_SKIPPED: compaction did not run (not enough free pages, or no model).
    case skipped
    /// COMPACT_DEFERRED: deferred after recent failures.
    case deferred
    /// Ran and failed (COMPACT_COMPLETE / COMPACT_PARTIAL_SKIPPED).
    case failed
    /// COMPACT_SUCCESS: a suitable page should now be free; the path retries the lists.
    case success
}

public protocol AllocationProgress: Sendable {
    static var id: String { get }
    /// `__perform_reclaim` → `try_to_free_pages`: pages reclaimed (`did_some_progress`).
    static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> Int
    /// `__alloc_pages_direct_compact` (`try_to_compact_pages`).
    static func directCompact<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> CompactResult
    /// `out_of_memory` from `__alloc_pages_may_oom`: whether it made progress (killed a task, or
    /// the kernel's "!__GFP_FS: pretend progress" rule).
    static func outOfMemory<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Bool
    /// `wake_all_kswapds` → `wakeup_kswapd` for the request's node.
    static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?)
    /// Background work between two events (kswapd running beside the allocating task); the
    /// executor calls it after every event of a run with `reclaim:`. Default: nothing.
    static func afterEvent<S: StrategySet>(_ m: Machine<S>)
    /// `wakeup_kcompactd(pgdat, order, highest_zoneidx)`, called by kswapd going to sleep after
    /// balancing for order > 0 (`kswapd_try_to_sleep`). The hook the compaction design connects
    /// (issue 22's kcompactd entry point); the default does nothing — the request itself is
    /// counted by the caller (`kswapd_kcompactd_wakeups`), so it is never silently dropped.
    static func wakeupKcompactd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int)
}

extension AllocationProgress {
    public static func afterEvent<S: StrategySet>(_ m: Machine<S>) {}
    public static func wakeupKcompactd<S: StrategySet>(_ m: Machine<S>, order: Int, highestZone: Int) {}
}

/// The stand-in until reclaim, compaction, kswapd and the OOM killer are modelled: a machine
/// with nothing reclaimable, no compaction and no task to kill. Reclaim frees 0 pages (so
/// `__alloc_pages_direct_reclaim` returns before its drain), compaction is COMPACT_SKIPPED, the
/// OOM killer makes no progress (a real kernel would kill a task, or for !__GFP_FS requests
/// claim progress and loop), kswapd is only counted (`kswapd_wakeups`).
public enum NoReclaimProgress: AllocationProgress {
    public static let id = "no-progress"
    public static func directReclaim<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> Int { 0 }
    public static func directCompact<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?, _ type: AllocType, gfp: GFPMask) -> CompactResult { .skipped }
    public static func outOfMemory<S: StrategySet>(_ m: Machine<S>, order: Int, gfp: GFPMask) -> Bool { false }
    public static func wakeKswapd<S: StrategySet>(_ m: Machine<S>, order: Int, zone: Int?) {}
}
