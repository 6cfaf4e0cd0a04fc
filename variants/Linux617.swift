import BuddyCore

/// The first kernel with the standalone isolate bit (`IsolateStandaloneBit`, 3370f8ab4502,
/// merged for v6.17 as far as this project could establish; see README) on the 6.12 allocator
/// (`Linux612`'s strategies, `Era612`: later kernels keep the free split and claim/steal).
public enum Linux617: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era612
    public typealias FreeLists = FreeListsTrackFreeHighatomic
    public typealias Isolation = IsolateStandaloneBit
    /// as linux-6.12.
    public typealias Reserves = ReserveAccessHighatomicFix
}
