import BuddyCore

/// v5.18, 1dd214b8f21c "mm: page_alloc: avoid merging non-fallbackable pageblocks with others"
/// (Zi Yan; simplified in bb0e28eb5bc2): at order ≥ pageblock_order always read the buddy's
/// pageblock type and stop when the types differ and either is not mergeable (HIGHATOMIC, CMA,
/// ISOLATE). UNMOVABLE/MOVABLE/RECLAIMABLE still merge with each other.
public enum MergeRules518: MergeRules {
    public static let id = "merge-5.18"
    public static let summary = "non-mergeable types (ISOLATE, CMA, HIGHATOMIC) never merge with others"
    public static func mayMerge(order: Int, freeing: MigrateType, buddyBlock: MigrateType,
                                zoneHasIsolatedBlocks: Bool) -> Bool {
        freeing == buddyBlock || (freeing.isMergeable && buddyBlock.isMergeable)
    }
}
