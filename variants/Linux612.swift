import BuddyCore

/// linux-6.12 as Debian ships it (linux-source-6.12, 6.12.117): `Linux610`'s strategies plus Yu
/// Zhao's free-highatomic tracking (`FreeListsTrackFreeHighatomic`), which that tree carries
/// (whether the v6.12 tag already had it was not verified), on `Era612`: `free_one_page` splits
/// blocks above a pageblock (`split_large_buddy`) and the 6.15 `__rmqueue_claim` /
/// `__rmqueue_steal` split that Debian's 6.12.y carries. Runs in lockstep with the real
/// 6.12.117 (`buddylab oracle --kernel 6.12`, 0 mismatches; Tests/BuddyOracleTests).
public enum Linux612: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era612
    public typealias FreeLists = FreeListsTrackFreeHighatomic
    public typealias Isolation = IsolateAsMigratetype
    /// v6.3 reserve rules with the 2025 ALLOC_HIGHATOMIC fix (a stable candidate, in 6.1.192;
    /// its presence in 6.12.118 is assumed, not yet read in that tree).
    public typealias Reserves = ReserveAccessHighatomicFix
}
