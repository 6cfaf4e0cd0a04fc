import BuddyCore

/// The first kernel with the standalone isolate bit (`IsolateStandaloneBit`, 3370f8ab4502,
/// merged for v6.17 as far as this project could establish; see README) on the v6.10+
/// allocator (`Linux610`'s strategies).
public enum Linux617: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era612
    public typealias FreeLists = FreeListsTrackFreeHighatomic
    public typealias Isolation = IsolateStandaloneBit
}
