import BuddyCore

/// linux-6.1 with Mel Gorman's v6.3 reserve rules but without the 2025 ALLOC_HIGHATOMIC fix
/// (`ReserveAccessV63`): what a 6.1.y kernel carried between the stable backport of the series
/// and the fix's. Everything else is `Linux61`.
public enum Gorman2023: StrategySet {
    public typealias Alignment = PageblockAlignment60
    public typealias Accounting = AccountingMoveTime
    public typealias Merge = MergeRules518
    public typealias Era = Era61
    public typealias FreeLists = FreeListsScattered
    public typealias Isolation = IsolateAsMigratetype
    public typealias Reserves = ReserveAccessV63
}
