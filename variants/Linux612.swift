import BuddyCore

/// linux-6.12 (Debian 13's kernel line) as modelled: the same strategies as `Linux610` — nothing
/// between v6.10 and v6.12 that buddylab models changed (v6.11's `split_large_buddy` and the
/// 6.15 `__rmqueue` claim/steal split, which Debian's 6.12.y carries as a backport, are not
/// modelled; see README "Per-cpu pagesets and today's kernels").
public enum Linux612: StrategySet {
    public typealias Alignment = PageblockAlignment
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era67
    public typealias FreeLists = FreeListsInPrimitives
    public typealias Isolation = IsolateAsMigratetype
}
