/// `struct compact_control`: one compaction run over one zone (mm/internal.h).
public struct CompactControl: Sendable {
    /// -1: `compact_memory` / proactive (`is_via_compact_memory`).
    public var order: Int
    public var zone: Int
    public var mode: CompactMigrateMode
    /// `gfp_migratetype(cc->gfp_mask)`.
    public var migratetype: MigrateType
    public var directCompaction = false
    public var wholeZone = false
    public var ignoreSkipHint = false
    public var ignoreBlockSuitable = false
    public var proactive = false
    /// The request's watermark and flags (`cc->alloc_flags`), for `compaction_suitable`.
    public var mark = 0
    public var allocFlags: AllocFlags = []
    public var migratePfn = 0
    public var freePfn = 0
    /// `cc->migratepages` (heads isolated for migration, in isolation order) and its page count.
    public var migratePages: [Int] = []
    public var nrMigratePages = 0
    /// `cc->freepages`: per order (6.12) or, at index 0 only, the order-0 pages of
    /// `split_map_pages` (6.1). Each list's head is its *last* element.
    public var freePages: [[Int]]
    public var nrFreePages = 0
    public var totalMigrateScanned = 0
    public var totalFreeScanned = 0
    /// `search_order`, `fast_search_fail`, `fast_start_pfn` (-1: ULONG_MAX) of the fast searches.
    public var searchOrder = 0
    public var fastSearchFail = 0
    public var fastStartPfn = 0
    /// Targets of this pass waiting in the CPU's `lru_add` batch, not yet on the LRU (6.12;
    /// Machine+LRUAddBatch.swift).
    public var lruAddBatch: [Int] = []
    /// 6.12 `finish_pageblock` / 6.1 `rescan`.
    public var finishPageblock = false
    public var contended = false

    public init(order: Int, zone: Int, mode: CompactMigrateMode, migratetype: MigrateType, orders: Int) {
        self.order = order; self.zone = zone; self.mode = mode; self.migratetype = migratetype
        freePages = Array(repeating: [], count: orders)
    }
}

/// `isolate_migrate_t`.
enum IsolateMigrate { case abort, none, success }
