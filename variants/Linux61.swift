import BuddyCore

/// linux-6.1 (Debian 12's kernel): pageblock alignment in its v6.0 form and 5.18 merge rules, move-time
/// accounting scattered over the callers (design F), and v6.1's per-cpu pagesets with the
/// migratetype cached at free time (`Era61`). `cpus: 1` is meant to match the User-Mode Linux
/// 6.1 oracle, pcp lists included.
public enum Linux61: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era61
    public typealias FreeLists = FreeListsScattered
    public typealias Isolation = IsolateAsMigratetype
    /// Debian's 6.1.192 carries the v6.3 reserve rules and the 2025 ALLOC_HIGHATOMIC fix.
    public typealias Reserves = ReserveAccessHighatomicFix
}
