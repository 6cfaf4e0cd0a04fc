import BuddyCore

/// E2012 `__free_one_page` (v3.5–v3.17): merge whenever the buddy is a free head of the same
/// order; no pageblock type check. Merges cross pageblocks of different types (including
/// ISOLATE), the root of the 2012–2016 accounting bugs (kernel-reference §2.3, §5.2 c/d).
public enum MergeRules2012: MergeRules {
    public static let id = "merge-2012"
    public static let summary = "no pageblock type check"
    public static func mayMerge(order: Int, freeing: MigrateType, buddyBlock: MigrateType,
                                zoneHasIsolatedBlocks: Bool) -> Bool { true }
    /// Drift this rule lets happen: any merge across an ISOLATE|normal boundary lists the block on one
    /// side's list after counting it at the other's.
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
