import BuddyCore

/// v4.6, d9dddbf55667 "mm/page_alloc: prevent merging between isolated and other pageblocks"
/// (Vlastimil Babka), on top of 3c605096d315 (v3.18): at order ≥ pageblock_order, and only when
/// the zone has isolated pageblocks, refuse to merge when exactly one side is ISOLATE.
public enum MergeRules46: MergeRules {
    public static let id = "merge-4.6"
    public static let summary = "no merge between ISOLATE and other pageblocks (d9dddbf55667)"
    public static func mayMerge(order: Int, freeing: MigrateType, buddyBlock: MigrateType,
                                zoneHasIsolatedBlocks: Bool) -> Bool {
        guard zoneHasIsolatedBlocks else { return true }
        return freeing == buddyBlock || (freeing != .isolate && buddyBlock != .isolate)
    }
}
