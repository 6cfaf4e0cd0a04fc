import BuddyCore

/// linux-6.10: Johannes Weiner's freelist migratetype hygiene (`FreeListsInPrimitives`) on the
/// v6.7+ pcp (`Era67`): counters kept by the list primitives, no pcp migratetype cache, blocks
/// converted only when claimed whole.
public enum Linux610: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era67
    public typealias FreeLists = FreeListsInPrimitives
    public typealias Isolation = IsolateAsMigratetype
    /// v6.10 tag: the v6.3 reserve rules, before the 2025 fix.
    public typealias Reserves = ReserveAccessV63
}
