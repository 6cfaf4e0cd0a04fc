/// Per-zone compaction state and the /proc/vmstat compaction counters (mm/compaction.c,
/// `struct zone`'s `compact_*` fields, `PB_migrate_skip`). Kept in `Bookkeeping` so that a
/// machine which never compacts pays nothing but this struct's size.

/// Where mm/compaction.c changed between the eras modelled (Debian 6.1.192 vs 6.12.118 trees).
public enum CompactionShape: Sendable {
    /// 6.1: compound pages are never migrated (`PageCompound && !alloc_contig` → skip, scanned
    /// once); the free scanner's pages are split to order 0 (`split_map_pages`, a reversed list);
    /// `test_and_set_skip` only at a pageblock-aligned pfn; a capture of an order below
    /// pageblock_order never takes a MOVABLE free (`compaction_capture`).
    case v6_1
    /// 6.12: folios below the target order migrate (`skip_isolation_on_order`), free pages are
    /// kept per order (`cc->freepages[order]`, `compaction_alloc_noprof` splits), the skip bit is
    /// set on the block's first scanned page (`valid_page`), the large-buddy check of
    /// `suitable_migration_target` uses the request's order, capture takes MOVABLE for movable
    /// requests, and scanned counts include skipped compound/buddy tails.
    case v6_12
}

/// `enum compact_priority`: MIN_COMPACT_PRIORITY is the most thorough.
public enum CompactPriority: Int, Sendable, CaseIterable {
    case syncFull = 0, syncLight = 1, async = 2
    public var name: String {
        switch self { case .syncFull: "sync_full"; case .syncLight: "sync_light"; case .async: "async" }
    }
}

/// `enum migrate_mode` as compaction uses it.
public enum CompactMigrateMode: Int, Sendable { case async = 0, syncLight = 1, sync = 2 }

/// `enum compact_result` in the kernel's order (try_to_compact_pages takes the max).
public enum CompactStatus: Int, Sendable, Comparable {
    case notSuitableZone = 0, skipped, deferred, noSuitablePage, `continue`, complete, partialSkipped, contended, success
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var name: String {
        switch self {
        case .notSuitableZone: "COMPACT_NOT_SUITABLE_ZONE"; case .skipped: "COMPACT_SKIPPED"
        case .deferred: "COMPACT_DEFERRED"; case .noSuitablePage: "COMPACT_NO_SUITABLE_PAGE"
        case .continue: "COMPACT_CONTINUE"; case .complete: "COMPACT_COMPLETE"
        case .partialSkipped: "COMPACT_PARTIAL_SKIPPED"; case .contended: "COMPACT_CONTENDED"
        case .success: "COMPACT_SUCCESS"
        }
    }
}

/// The `compact_*` fields of one `struct zone`.
public struct ZoneCompaction: Sendable, Equatable {
    /// `compact_cached_migrate_pfn[0]` (async) and `[1]` (sync).
    public var cachedMigratePfn: (async: Int, sync: Int) = (0, 0)
    public var cachedFreePfn = 0
    public var initMigratePfn = 0
    public var initFreePfn = 0
    public var considered = 0
    public var deferShift = 0
    public var orderFailed = 0
    public var blockskipFlush = false
    public init() {}
    public static func == (a: Self, b: Self) -> Bool {
        a.cachedMigratePfn == b.cachedMigratePfn && a.cachedFreePfn == b.cachedFreePfn
            && a.initMigratePfn == b.initMigratePfn && a.initFreePfn == b.initFreePfn
            && a.considered == b.considered && a.deferShift == b.deferShift
            && a.orderFailed == b.orderFailed && a.blockskipFlush == b.blockskipFlush
    }
}

/// /proc/vmstat's compaction and migration events (mm/vmstat.c names).
public struct CompactionCounters: Sendable, Equatable {
    public var compactStall = 0
    public var compactSuccess = 0
    public var compactFail = 0
    public var compactMigrateScanned = 0
    public var compactFreeScanned = 0
    public var compactIsolated = 0
    public var compactDaemonWake = 0
    public var pgmigrateSuccess = 0
    public var pgmigrateFail = 0
    /// `compact_zone` runs (any caller), for coverage and the benchmark's cost per page.
    public var zoneRuns = 0
    public init() {}
}

/// The machine's compaction state.
public struct CompactionState: Sendable {
    /// Whether the run uses the compaction model (a `compact` op in the program): the slow
    /// path's direct compaction stays the documented stand-in (COMPACT_SKIPPED) otherwise, so
    /// stored results of experiments without compaction do not move.
    public var enabled = false
    public var zones: [ZoneCompaction] = []
    /// PB_migrate_skip per pageblock (index as `pageblockIndex`).
    public var skip: [Bool] = []
    public var vm = CompactionCounters()
    /// `vm.extfrag_threshold` (default 500) and `vm.compaction_proactiveness` (default 20, v5.9).
    public var extfragThreshold = 500
    public var proactiveness = 20
    /// `pgdat->kcompactd_max_order` / `kcompactd_highest_zoneidx` (set by `wakeup_kcompactd`).
    public var kcompactdMaxOrder = 0
    public var kcompactdHighestZone = -1
    /// `compaction_capture`: the zone of the running direct compaction's capture_control and
    /// the migratetype of its request, and the page it captured (-1: none).
    public var captureZone = -1
    public var captureMigratetype: MigrateType = .movable
    public var capturedPfn = -1
    public init() {}
}
