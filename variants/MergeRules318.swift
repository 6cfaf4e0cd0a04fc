import BuddyCore

/// v3.18, 3c605096d315 "mm/page_alloc: restrict max order of merging on isolated pageblock"
/// (Joonsoo Kim): when the *freeing* page's pageblock is ISOLATE, `__free_one_page` caps
/// `max_order` at pageblock_order + 1, so it never merges at order ≥ pageblock_order. The
/// buddy's type is not looked at: a page freed into a normal (e.g. CMA) block still merges
/// with an isolated free buddy, the hole d9dddbf55667 (v4.6, `MergeRules46`) closed after
/// Hanjun Guo's CMA over-count report (kernel-reference §2.3, §10 case 13).
public enum MergeRules318: MergeRules {
    public static let id = "merge-3.18"
    public static let summary = "no merge at ≥ pageblock_order when the freeing block is ISOLATE (3c605096d315)"
    public static func mayMerge(order: Int, freeing: MigrateType, buddyBlock: MigrateType,
                                zoneHasIsolatedBlocks: Bool) -> Bool {
        freeing != .isolate
    }
    /// Drift this rule lets happen: a page freed into a normal (CMA) block merging with an isolated buddy (Hanjun Guo's over-count) lists the block on one
    /// side's list after counting it at the other's.
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
