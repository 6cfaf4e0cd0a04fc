import BuddyCore

/// linux-6.9: the last kernel before the freelist hygiene series — scattered accounting and the
/// pcp migratetype cache (a page freed to a pcp list before its block is stolen returns to the
/// old type's list), with v6.7's auto-tuned pcp `high` (`Era67`).
public enum Linux69: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era67
    public typealias FreeLists = FreeListsScattered
    public typealias Isolation = IsolateAsMigratetype
    /// v6.9 tag: the v6.3 reserve rules, before the 2025 fix.
    public typealias Reserves = ReserveAccessV63
}
